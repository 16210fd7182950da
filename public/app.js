// P2V's own script on every page (served from /static: the CSP allows no inline script).
// After a failed submit, the page comes back with the error summary (views/partials/forms.njk): it takes the focus,
// so that a keyboard or screen reader user starts from the errors, each a link to its field.
(function () {
  'use strict';
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
})();
