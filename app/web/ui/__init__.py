"""What every page uses: form fields, query parameters, safe redirects, downloads."""
