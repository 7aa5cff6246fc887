"""The foto and the reisverslag as composed reports: items picked from the journey's own
material per section, indicators with their charts, werkzame elementen proposed to the
editors, and the PDF export. See docs/reports.md."""
