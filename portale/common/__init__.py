"""What every layer may use and that knows nothing of the portal: spreading work over the cores by forking
(`parallel`).

Imports: the standard library only.
"""
