"""The admin theme: the centre's name and colours, set here rather than by hand after install."""
from django.db import migrations

THEME = {
    "title": "Γέφυρα · Gefyra",
    "title_visible": True,
    "logo_visible": False,
    "env_visible_in_header": False,
    "language_chooser_active": True,
    "language_chooser_display": "name",
    "css_header_background_color": "#0B4F6C",
    "css_header_text_color": "#FFFFFF",
    "css_header_link_color": "#FFFFFF",
    "css_header_link_hover_color": "#F2C14E",
    "css_module_background_color": "#137C8B",
    "css_module_background_selected_color": "#E6F2F3",
    "css_module_text_color": "#FFFFFF",
    "css_module_link_color": "#FFFFFF",
    "css_module_link_selected_color": "#FFFFFF",
    "css_module_link_hover_color": "#F2C14E",
    "css_generic_link_color": "#0B4F6C",
    "css_generic_link_hover_color": "#137C8B",
    "css_save_button_background_color": "#137C8B",
    "css_save_button_background_hover_color": "#0B4F6C",
    "css_save_button_text_color": "#FFFFFF",
    "list_filter_dropdown": True,
    "related_modal_active": True,
    "recent_actions_visible": True,
    # The case page has many sections: one tab each keeps it to one screen.
    "show_inlines_as_tabs": True,
    "show_fieldsets_as_tabs": False,
}


def apply_theme(apps, schema_editor):
    Theme = apps.get_model("admin_interface", "Theme")
    Theme.objects.update(active=False)
    Theme.objects.update_or_create(name="Gefyra", defaults={**THEME, "active": True})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_roles"), ("admin_interface", "0032_alter_theme_defaults")]
    operations = [migrations.RunPython(apply_theme, migrations.RunPython.noop)]
