"""Accessible form rendering: a label for every field, its help and its errors tied to it.

``{% form_field form.email %}`` renders the label, the input (with ``aria-describedby`` naming
the help text and the error, and ``aria-invalid`` when there is one) and the messages.
``{% form_errors form %}`` renders a summary at the top of a form that failed, linking each
message to its field.
"""

from django import template

register = template.Library()


@register.inclusion_tag("accounts/includes/field.html")
def form_field(field, describedby: str = ""):
    help_id = f"{field.auto_id}-help" if field.help_text else ""
    error_id = f"{field.auto_id}-error" if field.errors else ""
    ids = " ".join(filter(None, [describedby, help_id, error_id]))
    attrs = {"aria-describedby": ids} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "help_id": help_id,
        "error_id": error_id,
        "checkbox": field.widget_type == "checkbox",
    }


@register.inclusion_tag("accounts/includes/form_errors.html")
def form_errors(form):
    visible = form.visible_fields()
    # A message about the whole form (a wrong password, say) links to its first field.
    first_id = visible[0].auto_id if visible else ""
    items = [{"message": message, "field_id": first_id} for message in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            continue
        for message in field.errors:
            items.append({"message": message, "field_id": field.auto_id})
    return {"items": items}
