"""Who fits whom: hard filters, the explainable score, and whole-cohort matching."""
