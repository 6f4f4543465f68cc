"""The style of the facilitator page (44 px tap targets, contested nodes in orange, hidden
controls when printed; on a phone, fields no wider than the screen, words not cut and the
participants' links as one card per person)."""

CSS = """
<style>
.ce-anim { max-width: 1100px; }
.ce-anim .ce-table { border-collapse: collapse; margin: 4px 0 10px; font-size: 14px; }
.ce-anim .ce-table th, .ce-anim .ce-table td { border-bottom: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
.ce-anim .ce-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ce-anim .widget-button, .ce-anim .jupyter-button { width: auto; min-width: 180px; padding: 0 12px; min-height: 44px; }
.ce-anim select, .ce-anim input { min-height: 44px; font-size: 16px; }
.ce-anim .widget-dropdown, .ce-anim .widget-text, .ce-anim .widget-inline-hbox { min-height: 44px; height: auto; }
.ce-anim .widget-label { color: #1f2328; }
.ce-anim .jupyter-button.mod-success { background-color: #116329; color: #fff; }
.ce-anim .jupyter-button.mod-warning { background-color: #8a4500; color: #fff; }
.ce-anim .jupyter-button.mod-primary { background-color: #0b5cad; color: #fff; }
.ce-anim .ce-note { color: #3d4650; font-size: 14px; }
.ce-anim .ce-contested { color: #8a4500; font-weight: 600; }
.ce-anim .ce-links td { font-family: monospace; font-size: 12px; }
.ce-anim .ce-links td a { word-break: break-all; }
.ce-anim a.ce-sheet-download, .ce-anim a.ce-csv-download { color: #0b5cad; text-decoration: underline;
  font-weight: 600; display: inline-block; min-height: 44px; line-height: 44px; padding: 0 4px; }
.ce-anim .ce-msg { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.ce-anim .ce-msg-ok { background: #dafbe1; } .ce-anim .ce-msg-ko { background: #fff1e5; }
@media (max-width: 600px) {
  .ce-anim .widget-dropdown, .ce-anim .widget-text { width: 100% !important; max-width: 100% !important;
    margin-left: 0 !important; margin-right: 0 !important; flex-wrap: wrap; }
  .ce-anim .widget-dropdown > .widget-label, .ce-anim .widget-text > .widget-label { width: auto !important; }
  .ce-anim .widget-dropdown > select, .ce-anim .widget-text > input { flex: 1 1 160px; min-width: 0; max-width: 100%; }
  .ce-anim .widget-html-content { min-width: 0; max-width: 100%; }
  .ce-anim .widget-html-content table { display: block; overflow-x: auto; max-width: 100%; }
  /* the links: one card per person (name, college, link, expiry one under the other) */
  .ce-anim table.ce-links { overflow-x: visible; }
  .ce-anim table.ce-links thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .ce-anim table.ce-links tbody, .ce-anim table.ce-links tr, .ce-anim table.ce-links td { display: block; }
  .ce-anim table.ce-links tr { border-bottom: 1px solid #d0d7de; padding: 6px 0; }
  .ce-anim table.ce-links td { border: 0; padding: 1px 4px; }
  .ce-anim table.ce-links td::before { content: attr(data-label) " "; font-family: sans-serif; font-weight: 600; }
}
@media print { .ce-anim .widget-button, .ce-anim .widget-text, .ce-anim .widget-dropdown { display: none; } }
</style>
"""
