"""What `postcost new` writes: a commented starter proposal that costs as it stands."""

STARTER = """\
# A postcost proposal. To have your editor check it as you type, save the schema once with
# 'postcost schema -o proposal.schema.json' and start this file with the line
# '# yaml-language-server: $schema=proposal.schema.json'. Cost it with:   postcost total {name}
# Check its stated figures with:       postcost check {name}
# Explain one line's arithmetic:       postcost explain {name} 1.1
title: New posts for the Example Team          # the report's title
authority: Nottinghamshire County Council
meeting: Adult Social Care and Public Health Committee
date: 2026-01-12
source: "Where the figures come from: the report, its date and paragraph"
pay_scale: nottinghamshire     # a shipped scale (see 'postcost scales') or a path to your own .yaml
# pay_year: 2025/26            # uncomment to cost every month at one pay year's salaries
period: {{start: 2025-04, end: 2026-03}}   # the default for every post; 2025-04 is all of April

themes:
  - name: Frontline capacity
    lines:
      - title: Social Worker               # a post: costed at the bottom point of its grade
        grade: Band B
        fte: 2
        team: Example Team
        # point: 29                        # an explicit point instead of the grade's bottom
        # start: 2025-09-15                # its own dates; part months are prorated by days
        # stated: 84000                    # the figure the report prints, for 'postcost check'
      - title: Community Care Officer
        grade: Grade 5
        fte: 1.5
        permanent: true                    # also shows the full-year effect
  - name: Other costs
    lines:
      - kind: amount                       # a lump sum
        title: Recruitment advertising
        amount: 2500
      - kind: unit_cost                    # unit amount × quantity
        title: IT equipment per new starter
        unit_amount: 1600
        quantity: new_starters             # each post's FTE rounded up; or a number
"""
