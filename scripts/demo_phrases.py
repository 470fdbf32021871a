"""Phrase banks for the demo scenario generator (``make_demo_scenario.py``) and the few functions
that compose posts from them (the generator decides who posts what, when; this module, the words).

Templates use ``str.format`` fields: {phone} {buds} {store} {app} {brand} {price} {n} {days} {city}.
Everything here is fictional: Lumio (루미오), Vexa (벡사) and Orbit (오르빗) are made-up brands.
The tables are data, kept dense by hand (``fmt: off``).
"""

from __future__ import annotations

import random
import re

# fmt: off
# --- brands: every form matches its brand query (Latin terms are whole words) ----------------------
BRANDS: dict[str, dict[str, dict[str, list[str]]]] = {
    "Lumio": {
        "en": {
            "phone": ["Lumio X2", "lumio x2", "the Lumio X2", "my Lumio X2", "Lumio X2", "the X2 from Lumio"],
            "buds": ["Lumio Buds", "lumio buds", "the Lumio Buds"],
            "store": ["Lumio store", "the Lumio online store", "lumio.example.com", "Lumio's web store"],
            "app": ["Lumio app", "the Lumio app", "Lumio Care app"],
            "brand": ["Lumio", "lumio", "LUMIO", "Lumio"],
            "price": ["$899", "$849 on sale", "$899 (ouch)", "899 bucks"],
            "tag": ["#LumioX2", "#Lumio", "#lumiox2"],
        },
        "ko": {
            "phone": ["루미오 X2", "루미오X2", "루미오폰", "루미오 엑스투", "루미오 x2"],
            "buds": ["루미오 버즈", "루미오버즈"],
            "store": ["루미오 스토어", "루미오 공식몰", "루미오몰"],
            "app": ["루미오 앱", "루미오 케어 앱", "루미오앱"],
            "brand": ["루미오", "루미오", "루미오", "lumio"],
            "price": ["129만원", "1,290,000원", "백이십구만원", "129만"],
            "tag": ["#루미오", "#루미오X2", "#lumiox2"],
        },
    },
    "Vexa": {
        "en": {
            "phone": ["Vexa S9", "vexa s9", "the Vexa S9", "my Vexa S9"],
            "buds": ["Vexa Pods", "vexa pods"],
            "store": ["Vexa store", "the Vexa shop"],
            "app": ["Vexa app", "the Vexa Connect app"],
            "brand": ["Vexa", "vexa", "VEXA"],
            "price": ["$849", "$799 with trade-in", "849 dollars"],
            "tag": ["#Vexa", "#VexaS9"],
        },
        "ko": {
            "phone": ["벡사 S9", "벡사S9", "벡사폰", "벡사 에스나인"],
            "buds": ["벡사 팟", "벡사팟"],
            "store": ["벡사 스토어", "벡사 공식몰"],
            "app": ["벡사 앱", "벡사 커넥트"],
            "brand": ["벡사", "벡사", "vexa"],
            "price": ["119만원", "1,190,000원", "119만"],
            "tag": ["#벡사", "#벡사S9"],
        },
    },
    "Orbit": {
        "en": {
            "phone": ["Orbit Phone 5", "orbit phone 5", "the Orbit Phone", "my Orbit phone"],
            "buds": ["Orbit Phone earbuds", "orbitmobile buds"],
            "store": ["orbitmobile store", "the orbitmobile shop"],
            "app": ["orbitmobile app", "the Orbit Phone app"],
            "brand": ["orbitmobile", "Orbit Phone", "orbitmobile"],
            "price": ["$699", "$649 on sale", "699 bucks"],
            "tag": ["#orbitmobile", "#OrbitPhone"],
        },
        "ko": {
            "phone": ["오르빗 5", "오르빗폰", "오르빗5", "오르빗 폰5"],
            "buds": ["오르빗 이어폰", "오르빗 버즈"],
            "store": ["오르빗 스토어", "오르빗 공식몰"],
            "app": ["오르빗 앱", "오르빗앱"],
            "brand": ["오르빗", "오르빗", "orbitmobile"],
            "price": ["99만원", "990,000원", "99만"],
            "tag": ["#오르빗", "#오르빗5"],
        },
    },
}

EN_NAMES = ["jay", "mina", "alex", "dan", "sophie", "kev", "rach", "tom", "lena", "chris", "sam", "nora", "mike",
            "jess", "ben", "ella", "ryan", "zoe", "omar", "priya", "josh", "hannah", "leo", "maya", "nick", "tara"]
ROMAN = ["minji", "hyun", "jiwoo", "seojun", "yuna", "dohyun", "soyeon", "jae", "haeun", "woojin", "eunbi",
         "taeyang", "sora", "junho", "dlwlgh", "kimss", "parkjy", "leesh", "choi", "gksk", "yoon", "hana"]
HANDLE_TAILS = ["_k", "99", "_tech", "x", "_", "88", "01", "_seoul", "kim", "lee", "2k", "_dev", "photo", "", ""]
NICK_HEAD = ["강남", "판교", "부산", "폰", "배터리", "야간", "커피", "고양이", "주말", "퇴근", "새벽", "직장인", "대학생", "초코"]
NICK_TAIL = ["덕후", "러버", "아재", "대장", "요정", "맘", "초보", "고수", "불주먹", "지킴이", "장인", "바라기"]
CITIES = {
    "en": ["Seoul", "Busan", "LA", "Toronto", "Sydney", "London", "Austin", "Incheon", "Singapore"],
    "ko": ["강남", "홍대", "성수", "부산 서면", "대구 동성로", "판교", "잠실", "인천", "수원", "광주", "대전"],
}

# --- aspect sentences: ASPECTS[lang][aspect][sentiment] -------------------------------------------
ASPECTS: dict[str, dict[str, dict[str, list[str]]]] = {
    "en": {
        "camera": {
            "pos": ["the night mode on {phone} is honestly unreal",
                    "took {phone} to the concert last night and the zoom shots came out crisp",
                    "{phone} portrait mode finally gets hair edges right",
                    "low light video on {phone} is way better than my old phone",
                    "my cat photos have never looked this good, thanks {phone}",
                    "shot my sister's wedding on {phone} as a backup cam and people thought it was the pro's"],
            "neu": ["anyone compared {phone} camera vs the competition in daylight?",
                    "{phone} photos look a bit warm by default, you can change it in settings",
                    "is the 3x lens on {phone} optical or crop? asking before I buy",
                    "camera on {phone} is fine, nothing crazy",
                    "does {phone} shoot RAW or just HEIF?"],
            "neg": ["{phone} camera app takes forever to open, missed the shot again",
                    "why does {phone} oversharpen everything, faces look plastic",
                    "video on {phone} stutters when switching lenses, pretty annoying",
                    "focus hunting on {phone} indoors drives me nuts",
                    "{phone} selfie cam smooths my skin even with beauty mode off??"],
        },
        "battery": {
            "pos": ["{phone} battery easily lasts me a full day plus",
                    "got 7h screen on time with {phone} today, not bad at all",
                    "fast charging on {phone} is legit, 50% in like 20 min"],
            "neu": ["what's everyone's screen on time on {phone}?",
                    "{phone} battery is ok, about the same as my last phone",
                    "{phone} gets a little warm when gaming, overheating a bit is normal for games right?"],
            "neg": ["{phone} battery drains faster than I expected with 5G on",
                    "standby drain on {phone} is kinda bad, lose 10% overnight",
                    "{phone} overheats a little during long 4K recording, had to stop twice"],
        },
        "price": {
            "pos": ["grabbed {phone} for {price} with the trade-in, great deal",
                    "for {price} {phone} feels like good value tbh",
                    "student discount knocked {phone} down nicely, happy"],
            "neu": ["is {phone} worth {price} or should I wait for black friday?",
                    "{phone} is {price} here, anyone seen it cheaper?",
                    "thinking about {phone} at {price}, convince me"],
            "neg": ["{price} for {phone} is just too much in this economy",
                    "{phone} dropped in price a week after I bought it. cool cool cool",
                    "paying {price} and they don't even include a charger with {phone}",
                    "{brand} wants {price} for a phone and another $99 for the case lol"],
        },
        "delivery": {
            "pos": ["ordered from {store} on monday, arrived tuesday morning. impressed",
                    "{store} delivery was super quick, box was packed well too",
                    "courier from {store} called ahead and came right on time"],
            "neu": ["how long does {store} shipping usually take?",
                    "{store} says my order ships in {days} days, anyone got theirs sooner?",
                    "does {store} deliver on saturdays?"],
            "neg": ["{store} order still says 'preparing' after {days} days",
                    "tracking for my {store} order hasn't updated in {days} days. anyone else?",
                    "courier left my {store} package at the wrong building AGAIN",
                    "{store} delivery was supposed to come yesterday, nothing, no update",
                    "box from {store} arrived crushed, phone inside ok but still",
                    "{store} marked my order as delivered. it was not delivered",
                    "{days} days and my {store} order hasn't even shipped, delivery estimate keeps moving"],
        },
        "app": {
            "pos": ["{app} update made the backup way easier", "the new widgets in {app} are actually useful",
                    "{app} found my lost earbud in like 10 seconds, lifesaver"],
            "neu": ["does {app} let you export health data?", "{app} asked me to log in again after the update",
                    "where's the order history in {app} now?"],
            "neg": ["{app} keeps logging me out, third time today",
                    "{app} crashes every time I open the order history",
                    "{app} is so slow, takes 10 seconds to load anything",
                    "{app} sends me 5 promo notifications a day, turned them all off"],
        },
        "service": {
            "pos": ["shoutout to {brand} support, they sorted my warranty claim in one call",
                    "{brand} chat support was actually helpful, rare these days",
                    "the {brand} rep stayed on the line until my transfer finished, 10/10"],
            "neu": ["anyone know {brand} customer service hours on weekends?",
                    "had to call {brand} support about a screen protector, was fine",
                    "does {brand} support do video calls or just chat?"],
            "neg": ["waited 45 min on hold with {brand} support and got disconnected",
                    "{brand} support keeps copy-pasting the same answer to me",
                    "emailed {brand} support {days} days ago, still no reply",
                    "{brand} support told me to 'try restarting' for the fourth time"],
        },
        "store": {
            "pos": ["staff at the {brand} store in {city} were super patient with my mom",
                    "did a walk-in at {brand} {city}, they fixed my screen in an hour"],
            "neu": ["is the {brand} store in {city} open on sundays?",
                    "went to see {phone} at the {brand} store in {city}, display units were all taken"],
            "neg": ["{brand} store in {city} told me to come back tomorrow. for the third time",
                    "the {brand} shop in {city} had no stock and no idea when it's coming",
                    "{brand} {city} staff ignored us for 20 minutes, then said the system was down"],
        },
        "billing": {
            "pos": ["{brand} refunded the double charge within a day, nice"],
            "neu": ["how does the {brand} installment plan work, anyone tried it?",
                    "does {brand} take paypal at checkout?"],
            "neg": ["{brand} charged my card twice for one {phone} order",
                    "still waiting on my {brand} refund, it's been {days} days",
                    "{brand} 'free' trial of their cloud just billed me",
                    "{brand} invoice shows a 'service fee' nobody told me about"],
        },
        "design": {
            "pos": ["the matte back on {phone} feels so nice in hand", "{phone} in green is gorgeous in person",
                    "display on {phone} is bright enough for direct sun"],
            "neu": ["{phone} is a bit heavier than I expected", "which case do you guys use for {phone}?",
                    "{phone} or wait for the next one? design seems fine"],
            "neg": ["{phone} frame scratches way too easily",
                    "the {phone} screen has a slight green tint at low brightness",
                    "camera bump on {phone} makes it wobble on the table"],
        },
        "buds": {
            "pos": ["{buds} noise cancelling is great on the subway", "{buds} fit is perfect for running",
                    "call quality on {buds} surprised me, nobody noticed I was outside"],
            "neu": ["do {buds} work ok with other phones?", "{buds} or the competition, which one?"],
            "neg": ["left {buds} keeps disconnecting", "{buds} case hinge broke after a month",
                    "{buds} battery dropped to 2h after a firmware update"],
        },
    },
    "ko": {
        "camera": {
            "pos": ["{phone} 야간모드 진짜 미쳤음", "{phone}(으)로 찍은 야경 사진 보정 없이 이 정도임",
                    "{phone} 인물모드 머리카락 경계 잘 잡네요", "{phone} 줌 땡겨도 글씨 다 보여서 놀람",
                    "콘서트 가서 {phone}(으)로 찍었는데 화질 대박", "{phone}(으)로 찍은 음식 사진 색감 너무 좋아요"],
            "neu": ["{phone} 카메라 색감이 좀 따뜻한 편인 듯", "{phone} 카메라 vs 경쟁사 비교해보신 분?",
                    "{phone} 3배줌 광학인가요 디지털인가요", "{phone} 카메라 무난무난함",
                    "{phone} 카메라 설정에서 셔터음 끄는 법 있나요"],
            "neg": ["{phone} 카메라 앱 켜지는데 너무 오래 걸려요", "{phone} 사진 샤픈 너무 세서 얼굴이 뭉개짐",
                    "{phone} 실내에서 초점 계속 왔다갔다 함", "{phone} 동영상 렌즈 바꿀 때마다 끊겨요"],
        },
        "battery": {
            "pos": ["{phone} 배터리 하루 종일 넉넉함", "{phone} 고속충전 빠르네요 20분에 50%",
                    "{phone} 배터리 광탈 없어서 좋아요"],
            "neu": ["{phone} 배터리 다들 몇 시간 가세요?", "{phone} 배터리는 그냥 평범한 수준",
                    "{phone} 게임하면 발열 좀 있는데 원래 이 정도는 다 있죠?"],
            "neg": ["{phone} 5G 켜면 배터리 쭉쭉 닳음", "{phone} 대기전력 좀 심한 듯 밤새 10% 빠짐",
                    "{phone} 4K 촬영 오래 하니까 발열 올라와서 중간에 끊김"],
        },
        "price": {
            "pos": ["{phone} 보상판매로 싸게 샀어요 개이득", "{price}에 이 정도면 가성비 괜찮은 듯",
                    "{phone} 카드 할인까지 받아서 {price}보다 훨씬 싸게 삼"],
            "neu": ["{phone} {price} 주고 살 만한가요?", "{phone} 블프 때 더 떨어질까요",
                    "{phone} 자급제 {price}인데 어디가 젤 싸요?"],
            "neg": ["{phone} {price}은/는 너무 비싸요 ㅠㅠ", "{phone} 사자마자 가격 내려감 하...",
                    "{price}인데 충전기도 안 줌 {phone} 실화냐", "{brand} 케이스까지 사니까 거의 150 나옴"],
        },
        "delivery": {
            "pos": ["{store} 주문했는데 다음날 바로 옴 빠르네요", "{store} 배송 포장 꼼꼼하게 왔어요",
                    "{store} 새벽배송 진짜 새벽에 옴 ㄷㄷ"],
            "neu": ["{store} 배송 보통 며칠 걸려요?", "{store} 주문했는데 {days}일 뒤 출고래요",
                    "{store} 토요일에도 배송하나요?"],
            "neg": ["{store}에서 주문한 지 {days}일째 배송준비중", "{store} 배송조회가 {days}일째 그대로예요",
                    "{store} 택배 다른 동에 놓고 감 ㅡㅡ", "{store} 어제 온다더니 아직도 안 옴",
                    "{store} 박스 찌그러져서 왔어요 폰은 괜찮은데 기분 별로",
                    "{store} 배송완료라고 뜨는데 물건이 없어요", "{store} 출고 예정일이 계속 밀려요 벌써 {days}일째"],
        },
        "app": {
            "pos": ["{app} 업데이트 후 백업 편해짐", "{app} 새 위젯 은근 유용함", "{app}(으)로 잃어버린 버즈 바로 찾음"],
            "neu": ["{app} 업데이트하니까 다시 로그인하라네요", "{app}에서 주문내역 어디서 봐요?",
                    "{app} 다크모드 되나요"],
            "neg": ["{app} 자꾸 로그아웃됨 오늘만 세 번째", "{app} 주문내역 들어가면 튕겨요", "{app} 너무 느려요",
                    "{app} 광고 알림 하루에 다섯 개씩 옴"],
        },
        "service": {
            "pos": ["{brand} 고객센터 상담원분 친절하게 해결해주심", "{brand} 채팅상담 생각보다 빨리 답해줘요",
                    "{brand} 고객센터 한 번에 해결돼서 놀람"],
            "neu": ["{brand} 고객센터 주말에도 하나요?", "{brand} 서비스센터 예약 어떻게 해요?",
                    "{brand} 고객센터 번호 바뀌었나요"],
            "neg": ["{brand} 고객센터 40분 대기하다 끊김", "{brand} 상담원이 매번 같은 복붙 답변만 함",
                    "{brand} 메일 문의 {days}일째 답이 없네요", "{brand} 상담원이 재부팅만 네 번째 시킴"],
        },
        "store": {
            "pos": ["{city} {brand} 매장 직원분 엄청 친절하심", "{city} {brand} 서비스센터 당일 수리 받음"],
            "neu": ["{city} {brand} 매장 일요일에 여나요?", "{city} {brand} 매장 가서 {phone} 만져봤어요"],
            "neg": ["{city} {brand} 매장 재고 없다고 언제 올지 모른대요",
                    "{city} {brand} 센터 갔는데 내일 다시 오래요 세 번째임",
                    "{city} {brand} 매장 직원이 20분 동안 응대도 안 함"],
        },
        "billing": {
            "pos": ["{brand} 중복결제 하루 만에 환불해줌"],
            "neu": ["{brand} 무이자 할부 몇 개월까지 돼요?", "{brand} 공식몰 네이버페이 되나요?"],
            "neg": ["{brand} 결제가 두 번 됐어요 ㅡㅡ", "{brand} 환불 {days}일째 감감무소식",
                    "{brand} 클라우드 무료체험 끝나자마자 자동결제됨", "{brand} 영수증에 모르는 수수료가 붙어있음"],
        },
        "design": {
            "pos": ["{phone} 그린 색상 실물 영롱함", "{phone} 무광 뒷판 그립감 좋아요", "{phone} 화면 땡볕에서도 잘 보여요"],
            "neu": ["{phone} 생각보다 무겁네요", "{phone} 케이스 뭐 쓰세요?", "{phone} 색상 뭐가 젤 예뻐요?"],
            "neg": ["{phone} 프레임 기스 너무 잘 나요", "{phone} 저밝기에서 화면 초록빛 돌아요",
                    "{phone} 카툭튀 때문에 책상에서 달그락거림"],
        },
        "buds": {
            "pos": ["{buds} 노캔 지하철에서 완전 좋음", "{buds} 운동할 때 안 빠지고 좋아요", "{buds} 통화품질 의외로 좋음"],
            "neu": ["{buds} 다른 폰이랑도 잘 되나요?", "{buds} 살까 말까 고민중"],
            "neg": ["{buds} 왼쪽만 자꾸 끊겨요", "{buds} 케이스 경첩 한 달 만에 부러짐", "{buds} 업데이트 후 배터리 2시간 감"],
        },
    },
}

OPENERS = {
    "en": ["", "", "", "", "ok so ", "ngl ", "honestly ", "PSA: ", "update: ", "lol ", "tbh ", "not gonna lie, ",
           "quick one: ", "so "],
    "ko": ["", "", "", "", "아 ", "솔직히 ", "와 ", "근데 ", "ㄹㅇ ", "후기) ", "진짜 ", "음 ", "헐 ", "아니 "],
}
CLOSERS = {
    "pos": {"en": ["", "", "", "10/10", "would recommend", "happy so far", "no regrets", "love it"],
            "ko": ["", "", "", "ㅋㅋㅋ", "만족합니다", "강추", "추천해요", "굿굿", "대만족"]},
    "neu": {"en": ["", "", "", "thoughts?", "anyone?", "just curious"],
            "ko": ["", "", "", "다들 어떠세요?", "궁금하네요", "아시는 분?"]},
    "neg": {"en": ["", "", "smh", "anyone else?", "not impressed", "so annoying", "ugh", "fix this pls"],
            "ko": ["", "", "ㅠㅠ", "하...", "ㅡㅡ", "짜증나네요", "참고하세요", "답답하네요"]},
}
EMOJI = {"pos": ["😍", "🔥", "👍", "✨", "😊", "🙌"], "neu": ["🤔", "👀", "📱", ""], "neg": ["😤", "🙄", "😩", "💀", "😡"]}
GENERIC_TAGS = {"en": ["#smartphone", "#tech", "#android", "#phonereview"], "ko": ["#내돈내산", "#언박싱", "#스마트폰", "#리뷰"]}
HANDLES = {"Lumio": "@lumio_kr", "Vexa": "@vexa_kr", "Orbit": "@orbitmobile"}
LAUGH = {"pos": ["ㅋㅋ", "ㅋㅋㅋㅋ", "ㅎㅎ"], "neu": ["ㅎㅎ", "ㅋㅋ"], "neg": ["ㅠㅠ", "ㅡㅡ", "ㄷㄷ", "ㅜㅜ"]}
TIDY = [("the the ", "the "), ("the my ", "my "), ("my the ", "my "), ("my my ", "my "), ("The the ", "The "),
        ("?,", "?"), ("?.", "?"), ("  ", " ")]  # fixes for what template joins produce
LINKS = ["https://pic.example.com/{h}", "https://youtu.be/{h}", "https://imgur.example.com/{h}"]

# --- per-source dressing ----------------------------------------------------------------------------
REDDIT_SUBS = ["r/Android", "r/smartphones", "r/PhoneHelp", "r/gadgets"]
REDDIT_TITLES = {
    "pos": ["Pleasantly surprised by the {phone}", "{phone} a few weeks in: a happy owner", "Small win with {brand}"],
    "neu": ["Question about the {phone}", "{phone} vs the rest?", "Thinking of switching to {brand}", "Quick {brand} question"],
    "neg": ["Frustrated with {brand}", "Anyone else having this issue with the {phone}?", "{brand} experience has been rough"],
}
REDDIT_BODIES = ["Long time lurker. ", "Throwaway because my main is linked to work. ", "Bought it about {weeks} weeks ago. ",
                 "Context: I switched from an older phone. ", "", ""]
COMMUNITY_TITLES = {
    "pos": ["{phone} 2주 사용 후기", "{brand} 만족 후기 남겨요", "{phone} 사길 잘했네요", "{phone} 한 달 사용기"],
    "neu": ["{phone} 질문 있어요", "{brand} 이거 원래 이런가요?", "{phone} 살까 고민중인데", "{brand} 아시는 분 계세요"],
    "neg": ["{brand} 이거 저만 그런가요", "{phone} 불만 좀 써봅니다", "{brand} 실망이네요", "{brand} 하소연 좀 할게요"],
}
COMMUNITY_TAILS = ["", "", "", "회원님들 의견 궁금해요", "(사진 첨부)", "댓글 부탁드려요", "ㅎㅎ", "감사합니다"]
REVIEW_TITLES = {
    "en": {5: ["Love it", "Best phone I've owned", "Worth every penny"], 4: ["Great, minor gripes", "Very good overall", "Solid"],
           3: ["It's fine", "Mixed feelings", "OK for the price"], 2: ["Disappointed", "Expected more", "Not great"],
           1: ["Avoid", "Terrible experience", "Returned it"]},
    "ko": {5: ["완전 만족", "인생폰 등극", "강력 추천"], 4: ["대체로 만족", "좋아요 단점 조금", "괜찮습니다"],
           3: ["그냥 그래요", "호불호", "가격 대비 보통"], 2: ["실망", "기대 이하", "좀 별로"], 1: ["비추", "최악", "환불 신청함"]},
}

# --- news stories for the background: (day index 0-13 or None for any, headline, lede) -------------
NEWS = {
    "en": [
        (None, "Lumio X2 sales top {n}00,000 units in Korea", "The Seoul-based phone maker said demand for the X2 was strongest among buyers in their 20s."),
        (None, "orbitmobile cuts Orbit Phone 5 price by 10%", "The budget-minded brand hopes to win back share lost to Lumio and Vexa this year."),
        (None, "Lumio opens flagship store in Seoul's Seongsu district", "The store offers same-day repairs and a hands-on zone for the Lumio X2 and Lumio Buds."),
        (None, "Review roundup: how the Lumio X2 camera stacks up", "Critics praise the night mode but note slow camera launch times."),
        (None, "Lumio Buds get noise-cancelling upgrade via app", "An update to the Lumio app brings an adaptive mode to the earbuds."),
        (None, "Smartphone shipments in Korea rise {n}% on year", "Lumio, Vexa and Orbit Phone all gained as buyers upgraded ahead of the holidays."),
        (None, "Vexa Pods 2 leak points to spring launch", "Supply chain sources say Vexa's next earbuds add lossless audio."),
        (None, "Lumio hires former logistics chief to fix online store delivery", "Customers have complained about late deliveries from the Lumio online store since October."),
        (5, "Vexa teases S9 colour refresh ahead of year-end season", "Vexa said the new finish will arrive in stores next week with a trade-in promotion."),
        (6, "Vexa launches S9 Blue with trade-in bonus and free Vexa Pods", "The limited edition goes on sale this week in Korea and online."),
        (9, "Lumio to roll out firmware 3.2 with new camera features", "The update adds a faster night mode and battery optimisations, the company said."),
    ],
    "ko": [
        (None, "루미오 X2 국내 판매 {n}0만대 돌파", "루미오는 20대 구매 비중이 가장 높았다고 밝혔다."),
        (None, "오르빗, 오르빗 5 출고가 10% 인하", "중저가 시장 점유율 회복을 노린 조치로 풀이된다."),
        (None, "루미오, 성수동에 플래그십 스토어 오픈", "당일 수리 서비스와 루미오 X2 체험존을 갖췄다."),
        (None, "루미오 X2 카메라 비교해보니… 야간모드 강점", "다만 카메라 앱 실행 속도는 경쟁 제품보다 느리다는 평가다."),
        (None, "국내 스마트폰 출하량 전년 대비 {n}% 증가", "루미오, 벡사, 오르빗 모두 연말 교체 수요 덕을 봤다."),
        (None, "루미오 공식몰 연말 배송 지연 안내", "주문 폭주로 일부 지역 배송이 1~2일 늦어질 수 있다고 공지했다."),
        (None, "벡사, 차세대 무선이어폰 내년 봄 출시설", "업계에 따르면 벡사 팟 2는 무손실 음원을 지원할 전망이다."),
        (None, "오르빗, 자급제 전용 요금제 제휴 확대", "오르빗은 알뜰폰 사업자 3곳과 제휴를 맺었다고 밝혔다."),
        (5, "벡사, S9 신규 색상 출시 예고… 보상판매 행사도", "벡사는 다음 주부터 전국 매장에서 새 색상을 판매한다고 밝혔다."),
        (6, "벡사 S9 블루 에디션 출시… 벡사팟 증정 이벤트", "벡사는 #벡사S9챌린지 참여자 추첨 이벤트도 진행한다."),
        (9, "루미오, 펌웨어 3.2 배포 예정… 야간모드 개선", "회사 측은 배터리 최적화도 함께 이뤄진다고 설명했다."),
    ],
}
OUTLETS = {"ko": ["news_ko", "news_ko2", "news_ko3"], "en": ["news_en", "news_en2", "news_en3"]}

# --- true negatives: must NOT match any brand query --------------------------------------------------
LIGHT_ITEMS = {"en": ["floor lamp", "pendant light", "desk lamp", "brass sconce", "LED strip", "reading light"],
               "ko": ["스탠드", "펜던트 조명", "무드등", "간접조명", "플로어 램프"]}
NEGATIVES = {
    "en": ["Lumio Lighting has {n}0% off {item}s this weekend, the brass one is gorgeous",
           "our new {item} from Lumio Lighting finally arrived, cozy vibes",
           "anyone been to the Lumio Lighting showroom in {city}? need a {item}",
           "the {item} from Lumio Lighting came with a cracked shade, ugh",
           "ISS passes overhead tonight, its orbit brings it over {city} around 7:{n}0 pm 🛰️",
           "caught Jupiter's moons in orbit through my little telescope last night, unreal",
           "satellite launch went well, payload reached low earth orbit on schedule",
           "TIL the moon's orbit drifts away from earth by ~4 cm a year",
           "{n} satellites in one launch and every one of them reached orbit, wild",
           "clear skies in {city} tonight, watching the space station's orbit pass over 🔭",
           "physics homework on orbit periods is killing me, {n} problems left",
           "Lumio Lighting delivered my {item} in {n} days, nicely packed"],
    "ko": ["Lumio Lighting {item} 샀는데 분위기 미쳤음", "Lumio Lighting {item} {n}0% 세일 중이래요",
           "{city} Lumio Lighting 쇼룸 가봤는데 {item} 예쁜 거 많아요", "오늘 밤 {n}시쯤 국제우주정거장 orbit 관측 가능하대요 🛰️",
           "위성이 궤도(orbit) 진입 성공했다는 뉴스 봤어요", "천문동아리 orbit 계산 과제 {n}문제 남음 ㅠㅠ",
           "{city} 하늘 맑아서 우주정거장 orbit 지나가는 거 봤어요 🔭", "Lumio Lighting {item} 배송 {n}일 만에 왔어요",
           "Lumio Lighting {item} 달았더니 거실 분위기 완전 바뀜"],
}

# --- comparisons and the Vexa campaign (a positive distractor spike) ----------------------------------
COMPARE = {
    "en": ["switched from {a} to {b} and honestly no regrets", "{a} or {b}? can't decide, help",
           "{a} camera beats {b} in low light imo",
           "my friend has {b}, I have {a}. his battery lasts longer, mine takes better photos",
           "went to compare {a} and {b} in store, {b} feels cheaper in hand"],
    "ko": ["{a}에서 {b}(으)로 갈아탔는데 만족해요", "{a} vs {b} 뭐 살지 고민됨", "야간 사진은 {a}이/가 {b}보다 나은 듯",
           "친구는 {b} 쓰고 저는 {a} 쓰는데 배터리는 저쪽이 나음", "매장에서 {a}이랑/랑 {b} 만져봤는데 {b}이/가 좀 가벼움"],
}
CAMPAIGN = {
    "en": ["the new Vexa S9 Blue is stunning in person #VexaS9Challenge",
           "entered the Vexa #VexaS9Challenge giveaway, fingers crossed 🤞",
           "Vexa S9 Blue edition + free Vexa Pods with trade-in?? okay Vexa you got me",
           "saw the Vexa S9 Blue ad on the subway, that colour 😍 #VexaS9Challenge",
           "Vexa's launch stream was actually fun, S9 Blue looks so clean",
           "preordered the Vexa S9 Blue, first time leaving my old brand"],
    "ko": ["벡사 S9 블루 실물 미쳤다 #벡사S9챌린지", "#벡사S9챌린지 이벤트 참여했어요 당첨 기원 🙏",
           "벡사 S9 블루 보상판매에 벡사팟까지 준다고? 이건 못 참지", "지하철 벡사 광고 색감 너무 예쁨 #벡사S9챌린지",
           "벡사 S9 블루 사전예약 성공 ㅋㅋ", "벡사 라이브 방송 봤는데 S9 블루 색감 실화냐", "벡사 S9 블루 매장 가서 봤는데 진짜 예쁨"],
}

# --- the emerging complaint: X2 overheating / swelling after firmware 3.2 -----------------------------
# Every symptom contains 발열 / 부풀 / overheat / swell / swollen, so it can be counted.
BURST = {
    "en": {
        "context": ["since the 3.2 update", "after updating to firmware 3.2", "ever since last night's 3.2 update",
                    "after the 3.2 firmware", "post 3.2 update", "since I installed 3.2"],
        "symptom": ["my {phone} overheats just sitting on the desk", "{phone} is overheating while charging, too hot to hold",
                    "the back of my {phone} is bulging, battery looks swollen",
                    "the battery in my {phone} seems to be swelling, screen is lifting at the corner",
                    "{phone} overheats and shuts itself down", "my case won't close anymore, the {phone} battery swelled",
                    "got the overheating warning on {phone} twice today",
                    "{phone} overheating like crazy + battery drain 30%/hr",
                    "{phone} got so hot in my pocket it felt like it was overheating for real"],
        "early": ["is it just me or", "weird,", "hmm,", "not sure if related but", "uh,", "anyone else?"],
        "mid": ["not just me then:", "seeing a lot of posts about this,", "same here,",
                "there's a whole thread on r/LumioPhones about this,", "saw @gadgetgwen's post and checked mine,",
                "my brother's X2 too,", "+1,"],
        "late": ["it's on the news now and", "Lumio's statement says 'investigating' but", "@lumio_kr your statement doesn't help,",
                 "read the article, and yes", "they paused the rollout but", "still no fix:"],
        "action": ["called support, they told me to factory reset??", "took it to the {brand} store in {city}, they kept it for inspection",
                   "turned it off and left it on the balcony just in case", "can't roll back, there's no downgrade option",
                   "@lumio_kr please pull the update", "not charging it overnight anymore", "is this going to be a recall?",
                   "this is actually scary", "", ""],
        "emoji": ["🔥", "😨", "😰", "⚠️", "📱🔥", "", ""],
        "tags": ["#LumioX2", "#Lumio", "#firmware32", "", ""],
    },
    "ko": {
        "context": ["펌웨어 3.2 업데이트 후", "3.2 업뎃하고 나서", "어제 3.2 업데이트 하고부터", "3.2 펌웨어 깔고 나서",
                    "펌웨어 3.2 이후로", "3.2 업데이트 이후"],
        "symptom": ["{phone} 발열이 엄청 심해요 손으로 못 잡을 정도", "{phone} 충전할 때 발열 장난 아님",
                    "{phone} 뒷판이 살짝 떠요 배터리 부풀음 같아요", "{phone} 배터리가 부풀어서 화면이 들떴어요",
                    "가만히 둬도 {phone} 발열 심하고 배터리 미친듯이 닳음", "{phone} 발열 경고 뜨고 꺼져버림",
                    "케이스가 안 닫혀요 {phone} 배터리 부풀은 듯", "{phone} 주머니에 넣으면 뜨거울 정도로 발열",
                    "{phone} 액정 옆이 벌어졌어요 배터리 부풀음 맞는 듯"],
        "early": ["저만 그런가요?", "이거 정상인가요?", "혹시 저만...", "음...", "이상하네요"],
        "mid": ["저만 그런 게 아니었네요", "카페에 비슷한 글 계속 올라오네요", "아까 올라온 글 보고 확인해봤는데",
                "테크준 영상 보고 제 폰 봤더니", "트위터에도 난리네요", "동생 폰도 똑같음", "저도요"],
        "late": ["뉴스에도 나왔네요", "루미오 공지 떴는데 해결책이 없음", "기사 보고 깜짝 놀람",
                 "배포 중단했다는데 이미 깐 사람은요?", "아직도 패치 없음"],
        "action": ["서비스센터 가니까 점검 맡기래요", "고객센터는 초기화 해보라는데 그게 답인가", "무서워서 전원 꺼놨어요",
                   "리콜 해야 하는 거 아님?", "루미오 빨리 대응 좀 해주세요", "밤에 충전 못 하겠어요",
                   "다운그레이드도 안 됨 ㅠㅠ", "{city} 센터 대기 2시간째", "", ""],
        "emoji": ["🔥", "😱", "😰", "ㅠㅠ", "ㄷㄷ", "", ""],
        "tags": ["#루미오", "#루미오X2", "#발열", "", ""],
    },
}
BURST_TITLES = {
    "en": ["X2 overheating after 3.2 update?", "PSA: check your X2 battery after firmware 3.2", "Swollen battery on my Lumio X2",
           "Firmware 3.2 and overheating megathread?"],
    "ko": ["[루미오] 3.2 업데이트 후 발열 심한 분?", "루미오 X2 배터리 부풀음 ㄷㄷ", "펌웨어 3.2 발열 저만 그런가요",
           "루미오 발열 정리 (계속 업데이트)"],
}

# Scripted posts of the incident: (hours after onset, lang, source, author key, text).
EVENTS = [
    (-15.0, "ko", "x", "official", "루미오 X2 펌웨어 3.2 배포를 시작합니다 📱 더 빨라진 야간모드와 배터리 최적화를 만나보세요 #루미오X2"),
    (-14.9, "en", "x", "official", "Firmware 3.2 for Lumio X2 is rolling out now: faster night mode and battery optimisations. #LumioX2"),
    (2.3, "ko", "x", "influencer_ko", "루미오 X2 펌웨어 3.2 업데이트 후 배터리 부풀음 제보 받는 중입니다. 제 리뷰용 폰도 뒷판이 떴어요. 발열 있으신 분들 충전 중단하세요 ⚠️ #루미오X2"),
    (3.2, "en", "x", "influencer_en", "Heads up Lumio X2 owners: multiple reports (and my own unit) of overheating and a swollen battery after firmware 3.2. Stop overnight charging until Lumio says something. #LumioX2"),
    (4.5, "ko", "news", "news_ko", "[단독] 루미오 X2, 펌웨어 3.2 이후 배터리 발열·부풀음 제보 잇따라\n루미오 X2 이용자들 사이에서 최신 펌웨어 3.2 업데이트 이후 기기 발열과 배터리 부풀음 현상을 호소하는 글이 온라인 커뮤니티를 중심으로 빠르게 늘고 있다."),
    (5.4, "ko", "news", "news_ko2", "루미오 X2 '발열·배터리 부풀음' 호소 잇따라… 펌웨어 3.2 원인 지목\n일부 이용자는 업데이트 직후부터 충전 중 기기가 뜨거워지고 뒷판이 들뜨는 현상을 겪었다고 주장했다."),
    (6.5, "en", "news", "news_en", "Lumio X2 owners report overheating, swollen batteries after firmware 3.2\nComplaints about the Lumio X2 overheating after the latest update spread across social media on Sunday; Lumio said it was looking into the reports."),
    (7.5, "ko", "x", "official", "루미오 X2 펌웨어 3.2 이후 발열 관련 문의를 확인하고 있습니다. 배터리 부풀음이 의심되면 충전을 멈추고 가까운 서비스센터를 방문해 주세요. 불편을 드려 죄송합니다."),
    (7.6, "en", "x", "official", "We're aware of reports of Lumio X2 overheating after firmware 3.2 and are investigating. If you notice swelling, stop charging and visit a Lumio service center. We're sorry for the trouble."),
    (25.0, "ko", "news", "news_ko", "루미오, X2 펌웨어 3.2 배포 일시 중단\n루미오는 X2 일부 기기에서 발열과 배터리 부풀음이 보고됨에 따라 3.2 업데이트 배포를 일시 중단한다고 밝혔다."),
    (29.0, "en", "news", "news_en2", "Lumio pauses X2 firmware 3.2 rollout after overheating reports\nThe company said a fix is in testing and that owners with swollen batteries can get a free inspection."),
    (49.0, "ko", "news", "news_ko3", "루미오, X2 배터리 무상 점검… '3.2.1 패치 이번 주 배포'\n루미오는 발열 및 배터리 부풀음 증상이 있는 X2 기기를 전국 서비스센터에서 무상 점검한다고 밝혔다."),
]
# fmt: on

# --- composing posts from the banks ----------------------------------------------------------------
ASPECT_MIX = {
    "camera": 0.16, "battery": 0.07, "price": 0.12, "delivery": 0.13, "app": 0.09, "service": 0.1,
    "store": 0.08, "billing": 0.06, "design": 0.1, "buds": 0.09,
}  # fmt: skip
SENTIMENT_MIX = {"pos": 0.36, "neu": 0.34, "neg": 0.30}


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    """A key of weights, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


BRAND_FIELDS = ("{phone}", "{buds}", "{store}", "{app}", "{brand}")


_JOSA = re.compile(r"(\S)(\(으\)로|이/가|은/는|을/를|이랑/랑)")


def josa(text: str) -> str:
    """Resolve Korean particle pairs ("(으)로", "이/가", ...) by whether the word before ends in a consonant."""

    def pick_form(m: re.Match[str]) -> str:
        ch, pair = m.group(1), m.group(2)
        code = ord(ch) - 0xAC00
        final = code % 28 if 0 <= code < 11172 else (8 if ch in "178" else 1 if ch in "036" else 0)
        if pair == "(으)로":
            return ch + ("으로" if final not in (0, 8) else "로")  # 8 = ㄹ takes 로
        first, second = pair.split("/")
        return ch + (first if final else second)

    return _JOSA.sub(pick_form, text)


def fill(
    rng: random.Random, template: str, lang: str, brand: str, phone: str | None = None, anchor: bool = True
) -> str:
    """Fill a template with one brand's surface forms; with anchor, a brand-less template gets the phone."""
    forms = BRANDS[brand][lang]
    if anchor and not any(f in template for f in BRAND_FIELDS):
        template = "{phone} " + template
    text = template.format(
        phone=phone or rng.choice(forms["phone"]), buds=rng.choice(forms["buds"]),
        store=rng.choice(forms["store"]), app=rng.choice(forms["app"]), brand=rng.choice(forms["brand"]),
        price=rng.choice(forms["price"]), n=rng.randint(2, 9), days=rng.randint(2, 9),
        city=rng.choice(CITIES[lang]),
    )  # fmt: skip
    return josa(text) if lang == "ko" else text


def roughen(rng: random.Random, text: str, lang: str, sent: str = "neu") -> str:
    """Casual noise: lower case, a typo, Korean endings and laughter."""
    if lang == "en":
        if rng.random() < 0.3:
            text = text.lower()
        if rng.random() < 0.1:
            words = text.split(" ")
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 4 and w.isalpha() and not w.lower().startswith(("lumio", "vexa", "orbit")):
                j = rng.randrange(len(w) - 1)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            text = " ".join(words)
        return text.replace("don't", "dont").replace("can't", "cant") if rng.random() < 0.3 else text
    if rng.random() < 0.1:
        text = text.replace("요 ", "여 ").replace("해요", "해여")
    if rng.random() < 0.15:
        text += " " + rng.choice(LAUGH[sent])
    return text


def sentence_join(rng: random.Random, lang: str, parts: list[str]) -> str:
    parts = [p for p in parts if p]
    sep = rng.choice([". ", ", ", " — ", "\n"] if lang == "en" else [" ", ". ", "\n", " "])
    return sep.join(parts)


def x_extras(rng: random.Random, lang: str, brand: str, sent: str) -> list[str]:
    out = []
    if rng.random() < 0.45:
        out.append(rng.choice(EMOJI[sent]) * rng.choice([1, 1, 2, 3]))
    if rng.random() < 0.3:
        out.append(rng.choice(BRANDS[brand][lang]["tag"]))
        if rng.random() < 0.5:
            out.append(rng.choice(GENERIC_TAGS[lang]))
    if sent == "neg" and rng.random() < 0.15:
        out.append(HANDLES[brand])
    if rng.random() < 0.07:
        out.append(rng.choice(LINKS).format(h=f"{rng.getrandbits(40):x}"))
    return out


def review_rating(rng: random.Random, sent: str) -> int:
    return {"pos": rng.choice([5, 5, 4]), "neu": rng.choice([3, 3, 4]), "neg": rng.choice([1, 2, 2])}[sent]


def wrap(rng: random.Random, lang: str, source: str, brand: str, sent: str, body: str) -> dict:
    """Dress a body as a post of the given source (title, stars, subreddit...)."""
    post: dict = {"lang": lang, "source": source, "brand_hint": brand}
    phone = BRANDS[brand][lang]["phone"][0]
    if source == "x":
        text = " ".join([rng.choice(OPENERS[lang]) + body, *x_extras(rng, lang, brand, sent)])
    elif source == "reddit":
        titles = REDDIT_TITLES[sent] if lang == "en" else COMMUNITY_TITLES[sent]
        title = fill(rng, rng.choice(titles), lang, brand)
        title = title[:1].upper() + title[1:]
        prefix = rng.choice(REDDIT_BODIES).format(weeks=rng.randint(2, 6)) if lang == "en" else ""
        end = "." if lang == "en" and body[-1:].isalnum() else ""
        text = f"{title}\n\n{prefix}{body[:1].upper()}{body[1:]}{end}"
        post["sub"] = (
            "r/korea" if lang == "ko" else rng.choice(REDDIT_SUBS + ["r/LumioPhones"] * (brand == "Lumio"))
        )
    elif source == "reviews":
        r = review_rating(rng, sent)
        post["rating"] = r
        title = rng.choice(REVIEW_TITLES[lang][r])
        stars = "★" * r + "☆" * (5 - r)
        text = f"{stars} {title}\n{body}" if lang == "en" else f"평점 {r}/5 | {title} ({phone})\n{body}"
    elif source == "community":
        title = fill(rng, rng.choice(COMMUNITY_TITLES[sent]), "ko", brand)
        tails = [t for t in COMMUNITY_TAILS if sent != "neg" or t not in ("ㅎㅎ", "감사합니다")]
        text = f"{title}\n{body} {rng.choice(tails)}".rstrip()
    else:
        raise ValueError(source)
    post["text"] = tidy(text.strip())
    return post


def tidy(text: str) -> str:
    """Fix what template joins produce: doubled articles, punctuation after a question mark."""
    for a, b in TIDY:
        text = text.replace(a, b)
    return text


def chatter(rng: random.Random, lang: str, source: str, brand: str, after_release: bool = False) -> dict:
    """One ordinary post about one brand: an aspect, a sentiment, maybe a second thought."""
    aspect = pick(rng, ASPECT_MIX)
    sent = pick(rng, {"pos": 0.2, "neu": 0.2, "neg": 0.6} if aspect == "delivery" else SENTIMENT_MIX)
    bank = ASPECTS[lang]
    templates = bank[aspect][sent]
    if source == "reviews":  # reviews state an opinion, they rarely ask
        templates = [t for t in templates if "?" not in t] or bank[aspect]["pos" if sent == "pos" else "neg"]
    first = rng.choice(templates)
    core = fill(rng, first, lang, brand)
    if brand == "Lumio" and aspect == "camera" and sent == "pos" and after_release and rng.random() < 0.5:
        core += " (3.2 update made night mode faster)" if lang == "en" else " 3.2 업데이트 후 더 빨라짐"
    parts = [core]
    if rng.random() < 0.25:
        s2 = sent if rng.random() < 0.6 else pick(rng, SENTIMENT_MIX)
        second = rng.choice([t for t in bank[pick(rng, ASPECT_MIX)][s2] if t != first] or bank["design"][s2])
        if source != "reviews" or "?" not in second:
            parts.append(fill(rng, second, lang, brand, "the phone" if lang == "en" else "폰"))
    closer = rng.choice(CLOSERS[sent][lang])
    parts.append("" if source == "reviews" and "?" in closer else closer)
    body = roughen(rng, sentence_join(rng, lang, parts), lang, sent)
    post = wrap(rng, lang, source, brand, sent, body)
    post["share_boost"] = 1.0
    return post


def compare_post(rng: random.Random, lang: str, source: str) -> dict:
    a, b = rng.sample(list(BRANDS), 2)
    text = rng.choice(COMPARE[lang]).format(
        a=rng.choice(BRANDS[a][lang]["phone"]), b=rng.choice(BRANDS[b][lang]["phone"])
    )
    return wrap(rng, lang, source, a, "neu", roughen(rng, josa(text), lang))


def negative_post(rng: random.Random, lang: str) -> dict:
    """A post the brand queries must not match: the Lumio Lighting lamp shop, satellites in orbit."""
    text = rng.choice(NEGATIVES[lang]).format(
        item=rng.choice(LIGHT_ITEMS[lang]), n=rng.randint(1, 5), city=rng.choice(CITIES[lang])
    )
    return {"lang": lang, "source": "x", "text": roughen(rng, text, lang)}


def complaint_text(rng: random.Random, lang: str, source: str, h: float, earlier: list[dict]) -> str:
    """One complaint in the voice of its stage: unsure at first, then 'not just me', then the news."""
    b = BURST[lang]
    news_h = 4.5 if lang == "ko" else 6.5
    if h < (2.3 if lang == "ko" else 3.2):  # before the first influencer post
        ref = rng.choice(b["early"]) if rng.random() < 0.7 else ""
    elif h < news_h or rng.random() < 0.4:
        ref = rng.choice(b["mid"]) if rng.random() < 0.6 else ""
    else:
        ref = rng.choice(b["late"]) if rng.random() < 0.6 else ""
    if source == "x" and earlier and h > 1 and rng.random() < 0.15:  # a reply to an earlier post
        who = rng.choice(earlier)["author"].handle
        ref = f"{who}님 글 보고 확인해봤는데" if lang == "ko" else f"following up on @{who}'s post:"
    symptom = fill(rng, rng.choice(b["symptom"]), lang, "Lumio")
    context = rng.choice(b["context"])
    if h > 20:  # a day later, "last night's update" is no longer last night's
        context = context.replace("last night's ", "the ").replace("어제 ", "")
    core = f"{context} {symptom}" if rng.random() < 0.7 else f"{symptom} ({context})"
    action = fill(rng, rng.choice(b["action"]), lang, "Lumio", anchor=False) if rng.random() < 0.7 else ""
    tail = " ".join(x for x in (rng.choice(b["emoji"]), rng.choice(b["tags"])) if x)
    text = sentence_join(rng, lang, [f"{ref} {core}".strip(), action]) if lang == "en" else f"{core} {action}"
    if lang == "ko":
        text = f"{ref} {text}"
    return tidy(roughen(rng, f"{text} {tail}".strip(), lang, "neg"))
