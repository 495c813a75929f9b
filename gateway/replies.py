"""Fixed replies of the gateway itself (when the dialogue cannot answer)."""

from dvcbot.hotlines import CALL_ANY

APOLOGY = (
    "Dạ, hệ thống trả lời tự động đang tạm gián đoạn, mong anh chị thông cảm. "
    f"Anh chị vui lòng thử lại sau ít phút, hoặc gọi {CALL_ANY} để được hỗ trợ trực tiếp."
)

STILL_PROCESSING = "Dạ, tin nhắn này đang được xử lý, anh chị vui lòng chờ trong giây lát."

BUSY = (
    "Dạ, hiện có rất nhiều người đang hỏi cùng lúc, anh chị vui lòng chờ một chút rồi gửi lại câu hỏi ạ."
)
