"""The style shared by the light pages served without a kernel (participant form, framework round).

Large tap targets (44 px), contrast of at least 4.5:1 and a visible focus ring (issue 23).
"""

__all__ = ["PAGE_CSS"]

PAGE_CSS = """
*{box-sizing:border-box} body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1f2328;background:#fff;font-size:16px;line-height:1.4}
.ce-part{max-width:640px;margin:0 auto;padding:8px 12px 32px} h1{font-size:22px;margin:8px 0}
h2{font-size:18px;margin:12px 0 4px} .ce-card{border:1px solid #8c959f;border-radius:8px;padding:8px 10px;margin:8px 0}
.ce-card label{font-weight:600;display:block} .ce-dim-desc{color:#3d4650;font-size:15px;margin:2px 0}
input,select,textarea{font:inherit;font-size:16px;min-height:44px;width:100%;padding:6px 8px;border:1px solid #57606a;
border-radius:6px;background:#fff;color:#1f2328} textarea{min-height:88px}
.ce-num{max-width:140px} button.ce-submit{min-height:48px;width:100%;font-size:17px;font-weight:600;color:#fff;
background:#0b5cad;border:0;border-radius:8px;margin:12px 0;cursor:pointer}
button.ce-submit:disabled{background:#57606a;color:#fff;cursor:not-allowed}
:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.ce-total{position:sticky;bottom:0;background:#fff;border-top:1px solid #8c959f;padding:8px 0;font-weight:600;font-size:17px}
.ce-msg{padding:10px 12px;border-radius:8px;margin:8px 0} .ce-msg-ok{background:#dafbe1;border:1px solid #116329}
.ce-msg-ko{background:#fff1e5;border:1px solid #8a4500} .ce-fb{font-size:15px;color:#3d4650;margin:2px 0 6px}
table{border-collapse:collapse;width:100%} td{padding:4px;border-bottom:1px solid #d0d7de}
td.ce-weight-value{text-align:right;white-space:nowrap}
"""
