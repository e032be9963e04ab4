"""The delegates' offline workbook: template out (template.py), upload checked (reader.py),
preview and apply through the form's save service (plan.py)."""
