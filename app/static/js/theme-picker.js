// Search-as-you-type for the theme checkboxes. Without JavaScript all checkboxes simply show.
(function () {
  "use strict";
  document.querySelectorAll(".theme-picker").forEach(function (picker) {
    var input = picker.querySelector(".theme-search");
    var list = picker.querySelector("ul.checks");
    var none = picker.querySelector(".theme-nomatch");
    var items = Array.prototype.slice.call(list.children);
    var url = picker.getAttribute("data-search-url");
    var timer = null;
    var asked = 0;
    input.hidden = false;

    function showAll() {
      items.forEach(function (li) { li.hidden = false; list.appendChild(li); });
      none.hidden = true;
    }

    function show(slugs) {
      var bySlug = {};
      items.forEach(function (li) { bySlug[li.getAttribute("data-slug")] = li; li.hidden = true; });
      slugs.forEach(function (slug) {
        var li = bySlug[slug];
        if (li) { li.hidden = false; list.appendChild(li); }
      });
      // Ticked themes stay in sight, so nobody loses a choice while searching.
      items.forEach(function (li) { if (li.querySelector("input").checked) { li.hidden = false; } });
      none.hidden = slugs.length > 0;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) { showAll(); return; }
      timer = setTimeout(function () {
        var ticket = ++asked;
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { themes: [] }; })
          .then(function (data) {
            if (ticket !== asked) { return; }  // an older answer arriving late
            show(data.themes.map(function (t) { return t.slug; }));
          })
          .catch(showAll);
      }, 150);
    });
  });
})();
