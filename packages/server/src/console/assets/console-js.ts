// The console's only script: the confirmation page's "Copy" button. Served from
// /console/assets/console.js because the CSP allows no inline script (`script-src 'self'`).
// Kept as a string constant because the server ships as one esbuild bundle with no asset files.
// Plain ES2020, no template literals inside (this file is itself one).
export const CONSOLE_JS = String.raw`'use strict';
(function () {
  // navigator.clipboard exists only in secure contexts (https, or http on localhost); a server
  // reached over plain http on a LAN falls back to selecting the text and execCommand('copy').
  function copy(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallback(element); });
    }
    return Promise.resolve(fallback(element));
  }

  function fallback(element) {
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand('copy');
    } catch (error) {
      return false;
    }
  }

  function setUp(button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var status = document.getElementById(button.getAttribute('data-copy-status') || '');
    var label = button.textContent;
    var timer;
    button.hidden = false;
    button.addEventListener('click', function () {
      copy(target.textContent.trim(), target).then(function (copied) {
        button.textContent = copied ? 'Copied' : 'Press Ctrl+C';
        if (status) status.textContent = copied ? 'Copied to the clipboard.' : 'The code is selected: press Ctrl+C (or \u2318C) to copy it.';
        clearTimeout(timer);
        timer = setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  }

  var buttons = document.querySelectorAll('button[data-copy]');
  for (var i = 0; i < buttons.length; i++) setUp(buttons[i]);
})();
`;
