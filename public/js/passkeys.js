/*
| Passkeys in the browser (@simplewebauthn/browser, served as /assets/vendor/simplewebauthn.js):
| registering one on the account security page, and signing in with one on the login page or as
| the second step. Forms marked data-passkey="register|login|second-factor" stay hidden until this
| script finds WebAuthn support; their submit asks the server for options, runs the browser
| ceremony, posts the answer as JSON and follows the redirect it gets back.
*/
(function () {
  if (window.cfPasskeys) return
  window.cfPasskeys = { ready: true }

  var ENDPOINTS = {
    register: { options: '/app/account/security/passkeys/options', verify: '/app/account/security/passkeys' },
    login: { options: '/login/passkey/options', verify: '/login/passkey' },
    'second-factor': { options: '/login/two-factor/passkey/options', verify: '/login/two-factor/passkey' },
  }

  function supported() {
    return Boolean(window.PublicKeyCredential && window.SimpleWebAuthnBrowser)
  }

  function reveal() {
    if (!supported()) return
    document.querySelectorAll('form[data-passkey]').forEach(function (form) {
      form.hidden = false
    })
  }

  function csrfToken(form) {
    var input = form.querySelector('input[name="_csrf"]')
    return input ? input.value : ''
  }

  function post(form, url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken(form) },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(
        function (json) {
          return { ok: response.ok, json: json }
        },
        function () {
          return { ok: false, json: {} }
        }
      )
    })
  }

  function showError(form, message) {
    var box = form.querySelector('[data-passkey-error]')
    if (!box) return
    box.textContent = message || form.dataset.failed || ''
    box.hidden = !box.textContent
  }

  function run(form) {
    var kind = form.dataset.passkey
    var endpoints = ENDPOINTS[kind]
    var lib = window.SimpleWebAuthnBrowser
    var nameInput = form.querySelector('input[name="name"]')
    var name = nameInput ? nameInput.value.trim() : ''
    if (kind === 'register' && !name) {
      showError(form, form.dataset.nameRequired)
      nameInput.focus()
      return Promise.resolve()
    }
    showError(form, '')
    var button = form.querySelector('button[type="submit"]')
    if (button) button.disabled = true
    return post(form, endpoints.options)
      .then(function (res) {
        if (!res.ok) throw new Error(res.json.message || '')
        return kind === 'register'
          ? lib.startRegistration({ optionsJSON: res.json })
          : lib.startAuthentication({ optionsJSON: res.json })
      })
      .then(function (answer) {
        return post(form, endpoints.verify, { name: name, response: answer })
      })
      .then(function (res) {
        if (!res.ok) throw new Error(res.json.message || '')
        window.location.assign(res.json.redirect || '/app')
      })
      .catch(function (error) {
        /* a cancelled browser dialog is a NotAllowedError: show the generic hint, not its text */
        showError(form, error && error.name === 'Error' ? error.message : '')
      })
      .finally(function () {
        if (button) button.disabled = false
      })
  }

  document.addEventListener(
    'submit',
    function (event) {
      var form = event.target
      if (!(form instanceof HTMLFormElement) || !form.dataset.passkey || !supported()) return
      event.preventDefault()
      event.stopImmediatePropagation()
      run(form)
    },
    true
  )

  document.addEventListener('htmx:after:swap', reveal)
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', reveal)
  else reveal()
})()
