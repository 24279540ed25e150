"""The bot's own words in each language; a tenant overrides any of them in ``tenant.yml``
(``languages: {en: {messages: {suggest_prompt: …}}}``).

Korean is the product's default text (the Korean greeting, fallback and calendar lines are the
tenant's own and ``bot.calendar``'s); en / ja / zh are shipped defaults for foreign visitors.
Placeholders are ``str.format`` fields; the catalogue test checks every language has the same ones.
"""

from __future__ import annotations

from typing import Literal

from bot.i18n.detect import Language

MessageKey = Literal[
    "suggest_prompt",
    "feedback_prompt",
    "feedback_yes",
    "feedback_no",
    "feedback_thanks",
    "feedback_sorry",
    "handoff_prompt",
    "link_title",
    "map_title",
    "full_answer",
    "no_last_answer",
    "elsewhere",
    "korean_only",
    "greeting",
    "fallback",
    "upcoming",
    "ongoing",
    "first_day",
    "last_day",
    "nth_day",
    "over",
    "next_edition",
    "period",
    "welcome",
    "goodbye",
    "about_bot",
    "routed",
]
# A portal's own words (a tenant cannot override them: they are not its).
PortalMessageKey = Literal["portal_greeting", "portal_clarify"]

CATALOGUE: dict[MessageKey, dict[Language, str]] = {
    "suggest_prompt": {
        "ko": "혹시 이 중에 찾으시는 질문이 있나요?",
        "en": "Is one of these what you are looking for?",
        "ja": "お探しの質問はこの中にありますか？",
        "zh": "您要找的问题在下面吗？",
    },
    "feedback_prompt": {
        "ko": "도움이 되었나요?",
        "en": "Was this helpful?",
        "ja": "お役に立ちましたか？",
        "zh": "这个回答有帮助吗？",
    },
    "feedback_yes": {"ko": "👍 네", "en": "👍 Yes", "ja": "👍 はい", "zh": "👍 有"},
    "feedback_no": {"ko": "👎 아니요", "en": "👎 No", "ja": "👎 いいえ", "zh": "👎 没有"},
    "feedback_thanks": {
        "ko": "의견 감사합니다! 더 궁금한 점이 있으면 언제든 물어보세요.",
        "en": "Thank you for your feedback! Feel free to ask anything else.",
        "ja": "ご意見ありがとうございます！ほかにも気になることがあれば、いつでもどうぞ。",
        "zh": "感谢您的反馈！如有其他问题，欢迎随时提问。",
    },
    "feedback_sorry": {
        "ko": "더 정확한 답을 드리지 못해 죄송합니다.",
        "en": "Sorry that I could not give you a better answer.",
        "ja": "より正確なご案内ができず申し訳ありません。",
        "zh": "抱歉，未能给您更准确的答复。",
    },
    "handoff_prompt": {
        "ko": "정확한 안내를 위해 담당자에게 직접 문의해 주세요.",
        "en": "For accurate information, please contact the staff directly.",
        "ja": "正確なご案内のため、担当者へ直接お問い合わせください。",
        "zh": "为获得准确信息，请直接联系工作人员。",
    },
    "link_title": {"ko": "자세히 보기", "en": "More details", "ja": "詳しく見る", "zh": "查看详情"},
    "map_title": {"ko": "지도 보기", "en": "View map", "ja": "地図を見る", "zh": "查看地图"},
    "full_answer": {"ko": "전체 내용 보기", "en": "Read it all", "ja": "全文を見る", "zh": "查看全文"},
    "no_last_answer": {
        "ko": "네, 궁금한 점을 편하게 물어보세요.",
        "en": "Sure, ask me anything.",
        "ja": "はい、何でもお気軽にご質問ください。",
        "zh": "好的，请随时提问。",
    },
    "welcome": {
        "ko": "천만에요! 더 궁금한 점이 있으면 편하게 물어보세요.",
        "en": "You are welcome! Feel free to ask anything else.",
        "ja": "どういたしまして！ほかにも気になることがあれば、お気軽にどうぞ。",
        "zh": "不客气！如有其他问题，欢迎随时提问。",
    },
    "goodbye": {
        "ko": "이용해 주셔서 감사합니다. 궁금한 점이 생기면 언제든 다시 찾아 주세요!",
        "en": "Thank you for visiting. Come back any time you have a question!",
        "ja": "ご利用ありがとうございました。また何かあればいつでもどうぞ！",
        "zh": "感谢使用！如有问题，欢迎随时再来。",
    },
    "about_bot": {
        "ko": "저는 자주 묻는 질문에 답하는 안내 챗봇이에요. "
        '사람과 상담을 원하시면 "상담원 연결"이라고 말씀해 주세요.',
        "en": "I am a chatbot that answers frequently asked questions. "
        'To reach a person, type "I need a staff member".',
        "ja": "よくある質問にお答えする案内チャットボットです。"
        "担当者へのご相談は「担当者と話したいです」と入力してください。",
        "zh": "我是回答常见问题的咨询机器人。如需人工服务，请输入“请转人工”。",
    },
    "routed": {
        "ko": "{name} 안내로 연결했어요.",
        "en": "Here is the {name} guide.",
        "ja": "{name}のご案内におつなぎしました。",
        "zh": "已为您转接{name}的咨询。",
    },
    "elsewhere": {
        "ko": "{names}에 관한 질문은 {here}에서 답해 드리기 어려워요. 아래로 문의해 주세요.",
        "en": "Questions about {names} cannot be answered here ({here}). Please contact:",
        "ja": "{names}に関するご質問には、こちら（{here}）ではお答えできません。以下へお問い合わせください。",
        "zh": "关于{names}的问题，此处（{here}）无法解答。请联系：",
    },
    "korean_only": {
        "en": "This answer is available in Korean only. For help in English: {contact}",
        "ja": "この回答は韓国語のみです。日本語でのお問い合わせ: {contact}",
        "zh": "此回答仅有韩语版本。中文咨询请联系: {contact}",
    },
    "greeting": {
        "en": "Hello! I am the {name} guide. Feel free to ask me anything.",
        "ja": "こんにちは！{name}のご案内チャットボットです。お気軽にご質問ください。",
        "zh": "您好！我是{name}的咨询机器人，欢迎随时提问。",
    },
    "fallback": {
        "en": "Sorry, I could not find an answer to that question.",
        "ja": "申し訳ありません。そのご質問には正確にお答えできません。",
        "zh": "抱歉，这个问题我无法准确回答。",
    },
    "upcoming": {
        "en": "{days} days to go until the {name}! It runs {period}.",
        "ja": "{name}まであと{days}日！{period}開催です。",
        "zh": "距离{name}还有{days}天！举办时间：{period}。",
    },
    "ongoing": {
        "en": "Today is {day} of the {name}. Today's hours: {hours}",
        "ja": "今日は{name}の{day}です。本日の営業時間: {hours}",
        "zh": "今天是{name}的{day}。今日开放时间：{hours}",
    },
    "first_day": {"en": "the first day", "ja": "初日", "zh": "第一天"},
    "last_day": {"en": "the last day", "ja": "最終日", "zh": "最后一天"},
    "nth_day": {"en": "day {days}", "ja": "{days}日目", "zh": "第{days}天"},
    "over": {
        "en": "The {name} ended on {end}. {next_edition}",
        "ja": "{name}は{end}に終了しました。{next_edition}",
        "zh": "{name}已于{end}结束。{next_edition}",
    },
    "next_edition": {
        "en": "The dates of the next edition will be announced once confirmed.",
        "ja": "次回の日程は決まり次第ご案内します。",
        "zh": "下一届日程确定后将另行通知。",
    },
    "period": {
        "en": "from {start} to {end}",
        "ja": "{start}から{end}まで",
        "zh": "{start}至{end}",
    },
}

PORTAL_CATALOGUE: dict[PortalMessageKey, dict[Language, str]] = {
    "portal_greeting": {
        "en": "Hello! I am the {name} guide. Ask me about {tenants}.",
        "ja": "こんにちは！{name}のご案内チャットボットです。{tenants}について何でもご質問ください。",
        "zh": "您好！我是{name}的咨询机器人，欢迎咨询{tenants}的相关问题。",
    },
    "portal_clarify": {
        "ko": "어느 곳에 대한 질문인가요? 아래에서 골라 주시면 바로 안내해 드릴게요.",
        "en": "Which one is your question about? Choose below and I will answer right away.",
        "ja": "どちらについてのご質問ですか？下からお選びいただければすぐにご案内します。",
        "zh": "您想咨询哪一个？请在下方选择，我会马上为您解答。",
    },
}
