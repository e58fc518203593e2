// Keeps the operator page current without a reload: every few seconds fetch the live parts (rendered by the same
// templates as the page) and swap each element that has the same id. A panel the operator has open, or is typing in,
// is left alone. Without JavaScript the page is simply static.
(function () {
  'use strict';
  var body = document.body;
  var url = body.getAttribute('data-fragment-url');
  var every = parseInt(body.getAttribute('data-refresh-millis'), 10) || 2000;
  var problem = document.getElementById('live-error');
  if (!url) {
    return;
  }
  document.documentElement.setAttribute('data-live-updates', 'on');

  function inUse(element) {
    return (element.tagName === 'DETAILS' && element.open) || element.contains(document.activeElement);
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, 'text/html');
    fresh.querySelectorAll('[data-live]').forEach(function (next) {
      var old = document.getElementById(next.id);
      if (old && !inUse(old)) {
        old.replaceWith(document.importNode(next, true));
      }
    });
  }

  function refresh() {
    if (document.hidden) {
      setTimeout(refresh, every);
      return;
    }
    fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('the manifest answered ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        swap(html);
        problem.textContent = '';
        body.classList.remove('disconnected');
      })
      .catch(function (error) {
        problem.textContent = 'Not updating: ' + error.message + '. Retrying.';
        body.classList.add('disconnected');
      })
      .then(function () {
        setTimeout(refresh, every);
      });
  }

  setTimeout(refresh, every);
})();
