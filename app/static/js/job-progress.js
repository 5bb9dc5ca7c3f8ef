// Follows a background job: polls its status once a second and shows stage and percentage;
// when it ends, the page reloads to show the summary. Without JavaScript a link refreshes.
(function () {
  var card = document.querySelector("[data-status-url]");
  if (!card || card.dataset.status === "finished" || card.dataset.status === "failed") {
    return;
  }
  var bar = card.querySelector("[data-job-bar]");
  var percent = card.querySelector("[data-job-percent]");
  var stage = card.querySelector("[data-job-stage]");
  var ahead = card.querySelector("[data-job-ahead]");
  var aheadCount = card.querySelector("[data-job-ahead-count]");
  function poll() {
    fetch(card.dataset.statusUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return setTimeout(poll, 3000); }
        if (job.finished) { return window.location.reload(); }
        if (job.total) {
          bar.value = job.percent;
          percent.textContent = job.percent + "%";
        } else {
          bar.removeAttribute("value");
          percent.textContent = "";
        }
        // A job with others of its kind ahead of it waits for them, whatever it started.
        if (job.status !== "running" || job.waiting_ahead) {
          stage.textContent = stage.dataset.waiting;
        } else if (stage.dataset[job.stage]) {
          stage.textContent = stage.dataset[job.stage];
        }
        ahead.hidden = !job.waiting_ahead;
        aheadCount.textContent = job.waiting_ahead;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
}());
