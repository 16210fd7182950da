// The instruction page of a permit request (views/permits/instruct.njk): accepting a document, or asking for its
// replacement, without reloading the page. Without JavaScript the form posts and the server redirects back to the
// document (#document-<id>). With it, the form is posted with fetch (its CSRF token in the body, as a form), the page
// the server answers (the instruction page, or the same page with the error) is read, and only the document's review,
// its reason field and the "Marquer prête pour décision" area are replaced; the change is announced in the live region
// and the focus stays on the button pressed (or moves to the reason field when it is refused).
(function () {
  'use strict';
  var live = document.getElementById('examen-annonce');
  if (!live || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;

  function announce(text) {
    // Emptied first, so that the same message twice is announced twice.
    live.textContent = '';
    window.setTimeout(function () {
      live.textContent = text;
    }, 100);
  }

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  /** Replaces the element of this id by its version in the page received; false when either is missing. */
  function swap(fresh, id) {
    var current = document.getElementById(id);
    var next = fresh.getElementById(id);
    if (!current || !next) return false;
    current.replaceWith(document.importNode(next, true));
    return true;
  }

  /** Shows the review the server answered; false when the answer is not the instruction page with this document. */
  function show(form, submitter, html) {
    var id = form.getAttribute('data-review');
    var fresh = new DOMParser().parseFromString(html, 'text/html');
    // Anything else (the request decided meanwhile, the session over, an error page) is shown as a page.
    if (!fresh.getElementById('examen-' + id) || !fresh.getElementById('reason-group-' + id)) return false;
    var wasBlocked = Boolean(document.querySelector('#prete [data-testid="ready-blocked"]'));
    var typed = document.getElementById('reason-' + id);
    var reason = typed ? typed.value : '';
    swap(fresh, 'examen-' + id);
    swap(fresh, 'reason-group-' + id);
    if (!swap(fresh, 'prete')) {
      var gone = document.getElementById('prete');
      if (gone && !fresh.getElementById('prete')) gone.remove();
    }
    var label = text(document.querySelector('#document-' + id + ' [data-testid="document-kind"]'));
    var error = fresh.getElementById('reason-' + id + '-erreur');
    var field = document.getElementById('reason-' + id);
    if (error) {
      if (field) {
        field.value = reason;
        field.focus();
      }
      announce(label + ' : ' + text(error));
      return true;
    }
    var message = label + ' — ' + text(document.getElementById('examen-' + id)) + '.';
    if (wasBlocked && document.querySelector('#prete button'))
      message += ' Tous les documents sont examinés : la demande peut être marquée prête pour décision.';
    announce(message);
    if (submitter) submitter.focus();
    return true;
  }

  /** The form posted as without JavaScript: what the server answers is shown as a page. */
  function post(form, submitter) {
    if (submitter && submitter.name) {
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.submit();
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-review')) return;
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return; // a double click: the first post is on its way
    var submitter = event.submitter || null;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    form.setAttribute('aria-busy', 'true');
    window
      .fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(data),
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
      })
      .then(function (response) {
        return response.text().then(function (html) {
          return show(form, submitter, html);
        });
      })
      .catch(function () {
        return false;
      })
      .then(function (shown) {
        form.removeAttribute('aria-busy');
        if (!shown) post(form, submitter);
      });
  });
})();
