"""ApplicationSet templating: fasttemplate and Go templates."""
