// "Select all" ticks every proposal in the queue; without JavaScript each box still works.
document.querySelectorAll("[data-check-all]").forEach(function (box) {
  box.addEventListener("change", function () {
    box.form.querySelectorAll("input[name=ids]").forEach(function (item) {
      item.checked = box.checked;
    });
  });
});
