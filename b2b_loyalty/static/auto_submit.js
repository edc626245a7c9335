// Recalculate a preview as soon as an input changes (forms marked data-auto-submit).
// A plain GET form without this script works the same with its button.
document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { form.requestSubmit(); }, 600);
  });
});
