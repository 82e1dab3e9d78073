"""What `postcost new` writes: a commented starter proposal, or (--pay-scale) a starter authority
pay scale, each of which costs as it stands."""

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


STARTER_PAY_SCALE = """\
# yaml-language-server: $schema=pay-scale.schema.json
# An authority's pay scale for postcost: its grades on the NJC spine and its employer on-costs.
# Save the schema beside it once with 'postcost schema --pay-scale -o pay-scale.schema.json' and
# your editor checks this file as you type (the line above names it). See each grade's salaries
# and the annual cost of one full-time post with:   postcost scales {name}
# Name it in a proposal with 'pay_scale: {name}' (a path, taken relative to the proposal).
#
# Every figure states where it comes from (source) and how sure it is (confidence):
#   H  a cited source states the figure (or it follows exactly from a stated rule)
#   M  it follows from a stated rule, but no source quotes it
#   L  inferred or assumed
# The grades and the pension rate below are EXAMPLES: replace each with your authority's own,
# with its source and confidence.
kind: authority
name: {stem}                    # what reports call this scale
authority: Example Borough Council       # the authority's name, as reports print it
spine: njc-spine                # the shipped NJC spine: 'postcost scales njc-spine' shows its points
national_insurance: employer-ni # the shipped employer NI table: 'postcost scales employer-ni'

grades:                         # each grade's bottom point on the spine, and its top where known
  Grade 1:
    bottom: 3
    top: 4
    confidence: L
    source: "Example: replace with your pay policy statement's grade table (its title, date and page)"
  Grade 2:
    bottom: 5
    top: 7
    confidence: L
    source: "Example: replace with your pay policy statement's grade table"
  Grade 3:
    bottom: 8
    top: 11
    confidence: L
    source: "Example: replace with your pay policy statement's grade table"
  Grade 4:
    bottom: 12
    top: 17
    confidence: L
    source: "Example: replace with your pay policy statement's grade table"
  Grade 5:
    bottom: 18
    top: 22
    confidence: L
    source: "Example: replace with your pay policy statement's grade table"

# increments:                   # uncomment where proposals cost staff moving up their grade
#   month: 4                    # each year on 1 April (day: 1 is the default) ...
#   min_months_in_post: 6       # ... once in post six months
#   confidence: M
#   source: "Your pay policy statement: increments"

on_costs:                       # employer on-costs, by the dates they apply to (no two at once)
  - start: 2023-04-01           # the first day the rule is in force
    # end: 2026-03-31           # its last day; leave it out while the rule is in force
    employer_ni: true           # employer NI above the secondary threshold, from employer-ni
    # apprenticeship_levy: true # add the 0.5% levy, for an employer that pays it
    rates:
      pension: 0.20             # the employer's LGPS contribution, as a fraction of pay
    assumed: true               # an assumption, not a published rate: reports say so
    confidence: L
    source: "Assumption: 20% employer LGPS contribution. Replace with the rate in your pension fund's Rates and Adjustments Certificate (its valuation report)"
"""
