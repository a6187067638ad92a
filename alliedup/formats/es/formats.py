# Spanish as spoken by our workers in the US: the decimal point and thousands comma of US
# English ("1,234.50 h", "1.5×"), the same as money (alliedup/money.py) prints. Every other
# format falls back to Django's Spanish ones.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
