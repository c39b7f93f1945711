// A Swedish message when a security key cannot be used (ADR 0114). allauth's webauthn.js reports
// every failure as an "allauth.error" event and otherwise only logs it; the texts come from the
// page (data attributes on #webauthn-error), so they are translated like the rest of the page.
(function () {
  'use strict'
  document.addEventListener('allauth.error', function (event) {
    var box = document.getElementById('webauthn-error')
    if (!box) return
    event.preventDefault()
    var name = event.detail && event.detail.exception && event.detail.exception.name
    var text = box.dataset.other
    if (name === 'NotAllowedError' || name === 'AbortError') text = box.dataset.notAllowed
    else if (name === 'NotSupportedError' || name === 'SecurityError' || !window.PublicKeyCredential) text = box.dataset.notSupported
    box.textContent = text
    box.hidden = false
    box.focus()
  })
})()
