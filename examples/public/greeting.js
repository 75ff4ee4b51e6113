// UTF-8 text in a script: it reads right only when the browser decodes it as UTF-8 (FileResponse
// sends `.js` as `text/javascript; charset=utf-8`), both as a <script> and opened directly.
'use strict'
const greeting = 'Grüße, café ☕, Ελληνικά, Привет, “¡olé!”'
document.getElementById('greeting').textContent = greeting
