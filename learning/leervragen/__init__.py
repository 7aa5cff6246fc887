"""The leervragen tracker: learning questions raised, prioritised, researched, answered
and interpreted by the network (scenario 4, impact deep diving). See docs/leervragen.md."""
