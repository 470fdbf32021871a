"""Korean and English interface strings: the first users are Korean PR and CX teams.

One table keyed by a short id; `t(key, lang)` picks the language and falls back to English, then
to the key itself, so a missing translation shows up as readable English instead of a crash.
Only interface text lives here; post text, author names and config values are shown as written.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "ko"]
LANGUAGES: dict[str, str] = {"ko": "한국어", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    # key: (English, Korean)
    "app.title": ("groundswell", "groundswell"),
    "nav.monitor": ("Monitor", "모니터링"),
    "nav.analyse": ("Analyse", "분석"),
    "nav.admin": ("System", "시스템"),
    "page.overview": ("Overview", "개요"),
    "page.complaints": ("Emerging complaints", "급증 불만"),
    "page.topics": ("Topics", "토픽"),
    "page.touchpoints": ("Touchpoints", "접점"),
    "page.explore": ("Explore", "탐색"),
    "page.sources": ("Sources", "수집 소스"),
    "page.settings": ("Settings", "설정"),
    "lang.label": ("Language", "언어"),
    # filter bar
    "filter.title": ("Filters", "필터"),
    "filter.brand": ("Brand", "브랜드"),
    "filter.all_brands": ("All brands", "전체 브랜드"),
    "filter.dates": ("Date range", "기간"),
    "filter.sources": ("Sources", "소스"),
    "filter.langs": ("Languages", "언어"),
    "filter.any": ("All", "전체"),
    # empty states and errors
    "empty.no_data": (
        "No mentions in the store yet. Run `groundswell demo --no-dashboard` for the demo data, or "
        "`groundswell ingest FILE.jsonl` / `groundswell run` for your own sources, then reload.",
        "저장소에 아직 멘션이 없습니다. 데모 데이터는 `groundswell demo --no-dashboard`, 직접 수집한 "
        "데이터는 `groundswell ingest FILE.jsonl` 또는 `groundswell run`으로 넣은 뒤 새로고침하세요.",
    ),
    "empty.no_match": (
        "No mentions match these filters. Widen the date range or clear the source and language filters.",
        "이 필터에 맞는 멘션이 없습니다. 기간을 넓히거나 소스·언어 필터를 해제해 보세요.",
    ),
    "error.config": ("The configuration could not be loaded", "설정을 불러오지 못했습니다"),
    "error.config_default": (
        "No configuration file found; showing the data with default settings. Pass `--config PATH` "
        "or set GROUNDSWELL_CONFIG.",
        "설정 파일이 없어 기본 설정으로 표시합니다. `--config PATH` 또는 GROUNDSWELL_CONFIG를 지정하세요.",
    ),
    "error.store": ("The store could not be opened", "저장소를 열 수 없습니다"),
    # overview
    "kpi.mentions": ("Mentions", "멘션 수"),
    "kpi.negative": ("Negative share", "부정 비율"),
    "kpi.net": ("Net sentiment", "순감성 지수"),
    "kpi.reach": ("Reach", "도달"),
    "kpi.alerts": ("Open alerts", "미해결 알림"),
    "kpi.help_prev": ("Change against the previous period of the same length", "직전 동일 기간 대비 변화"),
    "kpi.no_prev": (
        "No change shown: the store holds no data for the whole previous period",
        "직전 동일 기간의 데이터가 없어 변화를 표시하지 않습니다",
    ),
    "topic.unassigned": ("unassigned", "미분류"),
    "ov.volume": ("Mention volume by sentiment", "감성별 멘션 추이"),
    "ov.net": (
        "Net sentiment over time (positive − negative, % of mentions)",
        "순감성 추이 (긍정 − 부정, %)",
    ),
    "ov.sov": ("Share of voice against competitors", "경쟁사 대비 점유율 (SOV)"),
    "ov.sov_empty": (
        "Pick a brand with competitors (config `brands[].competitors`) to compare share of voice.",
        "경쟁사가 설정된 브랜드(`brands[].competitors`)를 선택하면 점유율을 비교합니다.",
    ),
    "ov.by_source": ("Volume by source", "소스별 추이"),
    "ov.top_sources": ("Top sources by reach", "도달 기준 상위 소스"),
    "ov.top_authors": ("Top authors by reach", "도달 기준 상위 작성자"),
    # columns
    "col.time": ("Time", "시각"),
    "col.source": ("Source", "소스"),
    "col.author": ("Author", "작성자"),
    "col.followers": ("Followers", "팔로워"),
    "col.text": ("Text", "본문"),
    "col.link": ("Link", "원문"),
    "col.sentiment": ("Sentiment", "감성"),
    "col.score": ("Score", "점수"),
    "col.rating": ("Stars", "별점"),
    "col.topic": ("Topic", "토픽"),
    "col.touchpoints": ("Touchpoints", "접점"),
    "col.entities": ("Named entities", "개체명"),
    "col.likes": ("Likes", "좋아요"),
    "col.shares": ("Shares", "공유"),
    "col.replies": ("Replies", "댓글"),
    "col.views": ("Views", "조회"),
    "col.mentions": ("Mentions", "멘션"),
    "col.reach": ("Reach", "도달"),
    "col.lang": ("Language", "언어"),
    "col.brand": ("Brand", "브랜드"),
    "col.count": ("Count", "건수"),
    "col.share": ("Share", "점유율"),
    "col.owner": ("Owner", "담당"),
    "col.negative": ("Complaints", "불만"),
    "col.share_of_complaints": ("Share of all complaints", "전체 불만 중 비중"),
    "col.change": ("Change vs previous", "직전 대비"),
    "col.keywords": ("Keywords", "키워드"),
    "col.emerging": ("Emerging", "급증"),
    "col.net": ("Net sentiment", "순감성"),
    "sent.negative": ("negative", "부정"),
    "sent.neutral": ("neutral", "중립"),
    "sent.positive": ("positive", "긍정"),
    # complaints
    "al.none": (
        "No emerging complaints for these filters. The detector adds alerts here when a complaint grows "
        "faster than its baseline (`groundswell detect`, or automatically in `groundswell run`).",
        "이 조건에 해당하는 급증 불만이 없습니다. 불만이 평소보다 빠르게 늘면 탐지기(`groundswell detect`, "
        "`groundswell run`)가 여기에 알림을 추가합니다.",
    ),
    "al.watch": (
        "Close to an alert at the last detection ({at}); until these alert or calm down, `groundswell run` "
        "crawls their sources every few minutes:",
        "마지막 탐지({at}) 때 알림 기준에 가까웠던 이슈입니다. 알림이 나거나 잦아들 때까지 `groundswell run`이 "
        "해당 소스를 몇 분마다 수집합니다:",
    ),
    "al.watch_line": ("**{brand}**: {label} ({people} people)", "**{brand}**: {label} ({people}명)"),
    "al.watch_similar": ("complaints that say the same in other words", "같은 내용을 다르게 말한 불만"),
    "al.watch_all": ("all complaints", "전체 불만"),
    "al.states": ("States", "상태"),
    "al.not_found": (
        "No alert with id {id}; it may have been removed.",
        "ID가 {id}인 알림이 없습니다. 삭제되었을 수 있습니다.",
    ),
    "al.state.new": ("new", "신규"),
    "al.state.acknowledged": ("acknowledged", "확인됨"),
    "al.state.resolved": ("resolved", "해결됨"),
    "al.severity": ("Severity", "심각도"),
    "al.event.fired": ("fired", "발생"),
    "al.event.updated": ("updated", "갱신"),
    "al.event.reopened": ("reopened", "재발"),
    "al.event.acknowledged": ("acknowledged", "확인"),
    "al.event.assigned": ("assigned", "배정"),
    "al.event.resolved": ("resolved", "해결"),
    "al.sev.low": ("low", "낮음"),  # as alert messages say them (alerts/templates.py)
    "al.sev.medium": ("medium", "보통"),
    "al.sev.high": ("high", "높음"),
    "al.sev.critical": ("critical", "심각"),
    "al.growth": ("Growth vs baseline", "기준 대비 증가"),
    "al.observed": ("Posts in window", "창 내 게시물"),
    "al.spread": ("Spread risk", "확산 위험"),
    "al.fired": ("Fired", "발생"),
    "al.owner": ("Owner", "담당"),
    "al.assignee": ("Assignee", "배정"),
    "al.chart": (
        "This incident's posts per hour against its expected rate",
        "이 이슈의 시간당 게시물 (예상 수준 대비)",
    ),
    "al.chart_daily": (
        "This incident's posts per day against its expected rate",
        "이 이슈의 일별 게시물 (예상 수준 대비)",
    ),
    "al.incident_posts": ("this incident's complaints", "이 이슈의 불만 게시물"),
    "al.per_hour": ("h", "시간"),
    "al.per_day": ("day", "일"),
    "al.baseline": ("expected", "예상"),
    "al.evidence": ("Evidence posts", "근거 게시물"),
    "al.playbook": ("Playbook", "대응 플레이북"),
    "al.no_playbook": (
        "No playbook configured for these touchpoints.",
        "이 접점에 대한 플레이북이 없습니다.",
    ),
    "al.history": ("History", "처리 이력"),
    "al.actions": ("Actions", "조치"),
    "al.actor": ("Your name", "처리자 이름"),
    "al.note": ("Note", "메모"),
    "al.assign_to": ("Assign to", "배정 대상"),
    "al.ack": ("Acknowledge", "확인"),
    "al.assign": ("Assign", "배정"),
    "al.resolve": ("Resolve", "해결"),
    "al.need_actor": (
        "Enter your name first: every action is recorded with who did it.",
        "처리자 이름을 입력하세요.",
    ),
    "al.need_assignee": ("Enter who to assign it to.", "배정할 담당자를 입력하세요."),
    "al.done": ("Saved: {action} by {actor}.", "저장됨: {actor} — {action}"),
    "al.topic_none": ("(no topic)", "(토픽 없음)"),
    # topics
    "tp.none": (
        "No topics yet: topics are assigned during enrichment (`nlp.topics: true`).",
        "아직 토픽이 없습니다. 토픽은 분석 단계(`nlp.topics: true`)에서 부여됩니다.",
    ),
    "tp.over_time": ("Topics over time", "토픽 추이"),
    "tp.table": ("Topics", "토픽 목록"),
    "tp.drill": ("Drill down into a topic", "토픽 상세"),
    "tp.representative": ("Representative posts", "대표 게시물"),
    "tp.sentiment": ("Sentiment per topic", "토픽별 감성"),
    "tp.emerging_note": (
        "▲ marks topics with an open alert, or whose rate in the last quarter of the period rose at least "
        "twice as much as the whole conversation's.",
        "▲ 표시는 미해결 알림이 있거나, 기간 마지막 1/4 동안 전체 대화보다 2배 이상 빠르게 늘어난 토픽입니다.",
    ),
    # touchpoints
    "tc.none": (
        "No mentions are linked to a touchpoint yet. Add touchpoints with keywords to the config "
        "(`touchpoints:`) and re-run the enrichment.",
        "아직 접점에 연결된 멘션이 없습니다. 설정의 `touchpoints:`에 키워드를 추가하고 분석을 다시 실행하세요.",
    ),
    "tc.heatmap": ("Negative mentions per touchpoint over time", "접점별 부정 멘션 추이"),
    "tc.table": ("Touchpoints, owners and negative volume", "접점·담당·부정 멘션"),
    "tc.drill": ("Drill down into a touchpoint", "접점 상세"),
    "tc.top_terms": ("Top complaint words", "주요 불만 키워드"),
    "tc.top_posts": ("Top complaints", "주요 불만 게시물"),
    # explore
    "ex.query": ("Search (boolean query)", "검색 (불리언 쿼리)"),
    "ex.query_help": (
        'AND / OR / NOT, parentheses, "quoted phrases", wildcard*, NEAR/3, @handle, #hashtag',
        'AND / OR / NOT, 괄호, "구문", 와일드카드*, NEAR/3, @계정, #해시태그',
    ),
    "ex.bad_query": ("This query cannot be parsed", "검색식을 해석할 수 없습니다"),
    "ex.order": ("Order", "정렬"),
    "ex.order.newest": ("newest", "최신순"),
    "ex.order.oldest": ("oldest", "오래된순"),
    "ex.order.reach": ("reach", "도달순"),
    "ex.order.engagement": ("engagement", "반응순"),
    "ex.facets": ("Facets", "패싯"),
    "ex.results": (
        "{n:,} mentions match; showing the first {shown:,}.",
        "{n:,}건 일치, 상위 {shown:,}건 표시",
    ),
    "ex.export_csv": ("Export CSV", "CSV 내보내기"),
    "ex.export_jsonl": ("Export JSON Lines", "JSON Lines 내보내기"),
    "ex.export_note": (
        "Exports hold up to {n:,} mentions of the current selection.",
        "현재 선택의 최대 {n:,}건을 내보냅니다.",
    ),
    "facet.source": ("Source", "소스"),
    "facet.lang": ("Language", "언어"),
    "facet.sentiment": ("Sentiment", "감성"),
    "facet.brand": ("Brand", "브랜드"),
    "facet.topic": ("Topic", "토픽"),
    "facet.touchpoint": ("Touchpoint", "접점"),
    "facet.author": ("Author", "작성자"),
    "facet.entity": ("Named entity", "개체명"),
    # sources
    "src.none": (
        "Nothing has been collected yet. Import a file with `groundswell ingest FILE`, configure sources "
        "(`sources:`) and start `groundswell run`, or try `groundswell demo`.",
        "아직 수집된 데이터가 없습니다. `groundswell ingest FILE`로 파일을 가져오거나, 설정의 `sources:`에 "
        "소스를 추가하고 `groundswell run`을 실행하거나, `groundswell demo`를 실행해 보세요.",
    ),
    "src.health": ("Health of each source", "소스별 상태"),
    "src.kind": ("Kind", "종류"),
    "src.stored": ("Stored mentions by source", "소스별 저장된 멘션"),
    "src.stored_count": ("Mentions", "멘션 수"),
    "src.last_run": ("Last run", "마지막 실행"),
    "src.next_run": ("Next run", "다음 실행"),
    "src.fetched": ("Fetched", "수집"),
    "src.new": ("New", "신규"),
    "src.errors": ("Errors", "오류"),
    "src.status": ("Status", "상태"),
    "src.reason": ("Unhealthy reason", "이상 원인"),
    "src.healthy": ("healthy", "정상"),
    "src.unhealthy": ("unhealthy", "이상"),
    "src.never": ("never run", "실행 안 됨"),
    "src.disabled": ("disabled", "비활성"),
    "src.history": ("Recent runs", "최근 실행"),
    # settings
    "set.readonly": (
        "Read-only view of the configuration in force. Edit the YAML file and restart to change it.",
        "현재 적용 중인 설정(읽기 전용)입니다. 변경하려면 YAML 파일을 수정하고 다시 시작하세요.",
    ),
    "set.brands": ("Brands and queries", "브랜드와 검색식"),
    "set.sources": ("Sources", "소스"),
    "set.touchpoints": ("Touchpoints", "접점"),
    "set.rules": ("Alert rules", "알림 규칙"),
    "set.playbooks": ("Playbooks", "플레이북"),
    "set.channels": ("Channels", "알림 채널"),
    "set.store": ("Store", "저장소"),
    "set.none": ("(none configured)", "(설정 없음)"),
    # report and related words
    "page.report": ("Report", "리포트"),
    "rp.period_kind": ("Period", "기간 단위"),
    "rp.week": ("Week", "주간"),
    "rp.month": ("Month", "월간"),
    "rp.period": ("Which", "기간"),
    "rp.lang": ("Report language", "리포트 언어"),
    "rp.generate": ("Generate report", "리포트 생성"),
    "rp.download": ("Download {fmt}", "{fmt} 다운로드"),
    "rp.pdf_missing": (
        "PDF is not available here: {reason}",
        "이 환경에서는 PDF를 만들 수 없습니다: {reason}",
    ),
    "rp.need_brand": ("Configure a brand to build a report.", "리포트를 만들려면 브랜드를 설정하세요."),
    "rp.related": ("Related words (연관어)", "연관어"),
    "rp.related_help": (
        "Words used with the brand in the period, by posts, against the previous period; the brand's own name is "
        "left out and Korean words are in dictionary form.",
        "기간 중 브랜드와 함께 쓰인 단어(게시물 수 기준)와 직전 기간 대비 증감입니다. 브랜드명은 제외하고 한국어는 "
        "기본형으로 묶었습니다.",
    ),
    "rp.term": ("Word", "단어"),
    "rp.related_for": ("Words used with", "연관어 대상"),
    "rp.network_help": (
        "Circle size: posts using the word; a line joins two words used in the same posts (thicker: more posts).",
        "원 크기는 그 단어를 쓴 게시물 수, 선은 같은 게시물에 함께 쓰인 두 단어(굵을수록 많음)입니다.",
    ),
    "rp.previous": ("Previous period", "직전 기간"),
    "rp.new": ("new", "신규"),
    "rp.preview": ("Preview", "미리보기"),
    # sign-in (dashboard.login: oidc)
    "auth.title": ("groundswell: sign in", "groundswell 로그인"),
    "auth.needed": ("This dashboard needs a sign-in.", "이 대시보드는 로그인이 필요합니다."),
    "auth.login": ("Sign in", "로그인"),
    "auth.logout": ("Sign out", "로그아웃"),
    "auth.signed_in": ("Signed in as {who}", "{who} 로그인됨"),
    "auth.refused": ("{who} may not use this dashboard.", "{who} 계정은 이 대시보드를 사용할 수 없습니다."),
    "al.actor_signed_in": ("Recorded as", "처리자"),
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The interface string for `key` in `lang`, formatted with `values`."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "ko" else pair[0]
    return text.format(**values) if values else text
