/*
| The /api/docs page: mounts the Scalar API reference on the tenant's OpenAPI document, under
| the app's nonce CSP. Loaded before Scalar's bundle to adapt three of its habits the CSP blocks:
| style elements created without the nonce (some of its modules ignore the csp-nonce meta tag)
| get it, and inline style attributes (set with setAttribute, or inside the HTML its code
| highlighter writes with innerHTML) are applied through the CSSOM, which CSP allows.
*/
;(function () {
  var meta = document.querySelector('meta[property="csp-nonce"]')
  var nonce = meta ? meta.getAttribute('content') : ''

  var createElement = document.createElement
  document.createElement = function (tagName, options) {
    var element = createElement.call(document, tagName, options)
    if (nonce && String(tagName).toLowerCase() === 'style') element.setAttribute('nonce', nonce)
    return element
  }

  var setAttribute = Element.prototype.setAttribute
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === 'style' && this.style) {
      this.style.cssText = String(value)
      return
    }
    return setAttribute.call(this, name, value)
  }

  var innerHTML = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML')
  var STYLE_ATTR = / style="([^"<>]*)"/g
  Object.defineProperty(Element.prototype, 'innerHTML', {
    configurable: true,
    enumerable: innerHTML.enumerable,
    get: innerHTML.get,
    set: function (value) {
      /* Vue hands over TrustedHTML objects where the browser has Trusted Types */
      var html = typeof value === 'string' || (window.TrustedHTML && value instanceof window.TrustedHTML) ? String(value) : null
      if (html === null || html.indexOf(' style="') === -1) return innerHTML.set.call(this, value)
      innerHTML.set.call(this, html.replace(STYLE_ATTR, ' data-cf-style="$1"'))
      var styled = this.querySelectorAll('[data-cf-style]')
      for (var i = 0; i < styled.length; i++) {
        styled[i].style.cssText = styled[i].getAttribute('data-cf-style').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
        styled[i].removeAttribute('data-cf-style')
      }
    },
  })

  document.addEventListener('DOMContentLoaded', function () {
    var target = document.getElementById('kernel-api-reference')
    if (!target || !window.Scalar) return
    window.Scalar.createApiReference(target, {
      url: target.getAttribute('data-openapi-url'),
      /* no third-party requests: system fonts instead of fonts.scalar.com, no telemetry or agent */
      withDefaultFonts: false,
      customCss:
        ':root { --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;' +
        ' --scalar-font-code: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }',
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: 'never',
    })
  })
})()
