"""Dynamic management of a published list (动态管理): add an item or cancel one through a recorded procedure.

"确需新增或取消的...严格执行事前协商、评估审核、审定批准程序后，动态纳入清单管理"
(seed 001, 负面清单 · 实行动态管理; seed 002 §1: 实行村级组织工作事务清单动态管理;
seed 000 §2: the lists are the county's, decided by its Party committee and government).

One procedure for every list that keeps it (the work-affairs catalogue, the
assessment items list): a proposal with its reason → prior consultation
(事前协商) → assessment and review (评估审核) → approval (审定批准) or
rejection, each step a recorded row with who, when and the opinion; the
approved change is written into the list's draft and takes effect when that
draft is published as the next version.

What a list provides: concrete proposal and step models on the abstract bases
(``models``) and a :class:`listchanges.procedure.ListProcedure` saying how an
item is checked, found, added and cancelled in its draft. Pages, API and admin
bases live in ``views``, ``api`` and ``admin``.
"""
