"""The documents the rules come from, named as a reader can look them up (DOMAIN.md digests them).

A rule's 依据 (``RuleInfo.basis``) quotes the measure and names the document here; it never names
an internal file."""

from __future__ import annotations

#: The pilot city's report on its six pilot units (预告会商, 逐位表态, 全程纪实, 定期公开 …).
PILOT = "《在全市党委（党组）落实“三重一大”决策制度监督实效试点工作推进会上的交流发言》"
#: 遂宁市委's “四项机制” (五不上会, 票决, 末位发言, 两张清单), People's Daily Online, 2017.
SUINING = "中共遂宁市委《完善“四项机制”提高换届后领导班子运行水平》，人民网 2017 年"
#: 中国纪检监察报, 2012: supervising the principal (公开, 决策跟踪和反馈, 责任追究).
PRINCIPAL = "《加强对党政“一把手”权力监督的实践与思考》，中国纪检监察报 2012 年"
#: 成都市委办公厅's responsibility list (全程纪实, 末位表态, 反对意见的实施记录).
CHENGDU = "《成都市加强对“一把手”和领导班子监督的责任清单》"
#: 金湖县委's township practice, the “7+8” model (四不直接分管, 决策过程纪实, 末位表态并票决).
JINHU = "金湖县委《切实推动全面从严治党向基层延伸》，乡镇权力制约监督“7+8”模式"
