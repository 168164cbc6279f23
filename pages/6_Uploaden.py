"""Gegevens uploaden: validate and store an agenda, a CBS export or an own indicator; manage versions."""

from gka_dash import ui, ui_upload

ui.ensure_app_navigation()

with ui.guard("De uploadpagina tonen"):
    ui_upload.render_page()
