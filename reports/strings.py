"""The report's words in English and Korean (the dashboard's table stays the dashboard's)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # key: (English, Korean)
    "title.week": ("{brand} weekly report", "{brand} 주간 리포트"),
    "title.month": ("{brand} monthly report", "{brand} 월간 리포트"),
    "period": ("{start} – {end} ({zone})", "{start} – {end} ({zone})"),
    "generated": ("Generated {at}", "생성 {at}"),
    "vs_previous": ("against the previous {kind}", "직전 {kind} 대비"),
    "kind.week": ("week", "주"),
    "kind.month": ("month", "달"),
    "kpi.mentions": ("Mentions", "멘션 수"),
    "kpi.negative": ("Negative share", "부정 비율"),
    "kpi.net": ("Net sentiment", "순감성 지수"),
    "kpi.reach": ("Reach", "도달"),
    "kpi.incidents": ("Open incidents", "미해결 이슈"),
    "sec.volume": ("Volume and sentiment by day", "일별 언급량과 감성"),
    "sec.sov": ("Share of voice", "점유율 (Share of voice)"),
    "sec.topics": ("Top topics", "주요 토픽"),
    "sec.touchpoints": ("Touchpoints and owners", "고객 접점과 담당"),
    "sec.incidents": ("Incidents", "이슈 (알림)"),
    "sec.related": ("Related words", "연관어"),
    "sec.posts": ("Top posts", "주요 게시물"),
    "col.brand": ("Brand", "브랜드"),
    "col.mentions": ("Mentions", "멘션"),
    "col.share": ("Share", "점유율"),
    "col.previous": ("Previous", "직전"),
    "col.topic": ("Topic", "토픽"),
    "col.keywords": ("Keywords", "키워드"),
    "col.complaints": ("Complaints", "불만"),
    "col.complaint_share": ("Complaint %", "불만 %"),
    "col.net": ("Net", "순감성"),
    "col.touchpoint": ("Touchpoint", "접점"),
    "col.owner": ("Owner", "담당"),
    "col.change": ("Change", "증감"),
    "col.term": ("Word", "단어"),
    "col.posts": ("Posts", "게시물"),
    "col.opened": ("Opened", "발생"),
    "col.severity": ("Severity", "심각도"),
    "col.state": ("State", "상태"),
    "col.summary": ("Summary", "요약"),
    "col.time": ("Time", "시각"),
    "col.source": ("Source", "소스"),
    "col.author": ("Author", "작성자"),
    "col.text": ("Text", "본문"),
    "col.engagement": ("Engagement", "반응"),
    "rising": ("rising", "급상승"),
    "new": ("new", "신규"),
    "open": ("Open", "진행 중"),
    "resolved": ("Resolved", "해결됨"),
    "state.new": ("new", "신규"),
    "state.acknowledged": ("acknowledged", "확인"),
    "state.resolved": ("resolved", "해결"),
    "sev.low": ("low", "낮음"),
    "sev.medium": ("medium", "보통"),
    "sev.high": ("high", "높음"),
    "sev.critical": ("critical", "심각"),
    "sent.negative": ("negative", "부정"),
    "sent.neutral": ("neutral", "중립"),
    "sent.positive": ("positive", "긍정"),
    "none": ("None in this period.", "이 기간에는 없습니다."),
    "no_data": (
        "No mentions of {brand} in this period.",
        "이 기간에 {brand} 관련 멘션이 없습니다.",
    ),
    "sov_alone": (
        "Add competitors to the brand in the configuration to compare share of voice.",
        "점유율을 비교하려면 설정에서 브랜드의 경쟁사(competitors)를 지정하세요.",
    ),
    "related_note": (
        "Words used with {brand} in the period (the brand's own name left out), by posts, with the change "
        "against the previous {kind}.",
        "기간 중 {brand}와 함께 쓰인 단어(브랜드명 제외), 게시물 수 기준, 직전 {kind} 대비 증감.",
    ),
    "digest.summary": (
        "{mentions} mentions ({mentions_change}), negative {negative:.1f}%, net sentiment {net:+.1f}, "
        "{incidents} open incident(s).",
        "멘션 {mentions}건 ({mentions_change}), 부정 {negative:.1f}%, 순감성 {net:+.1f}, 미해결 이슈 {incidents}건.",
    ),
    "digest.open": ("Open the report", "리포트 열기"),
    "digest.attached": ("The PDF report is attached.", "PDF 리포트를 첨부했습니다."),
}


def t(key: str, language: str, **values: object) -> str:
    """The string in `language` (English when missing), formatted with `values`."""
    en, ko = STRINGS.get(key, (key, key))
    text = ko if language == "ko" else en
    return text.format(**values) if values else text
