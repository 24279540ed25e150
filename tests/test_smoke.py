from bot.runtime import Runtime


def test_demo_tenants_answer_a_parking_question(runtime: Runtime) -> None:
    result = runtime.search("seohae-mudfest", "머드축제 주차장 어디에 있어요?")
    assert "parking-location" in [h.faq_id for h in result.hits[:3]]
