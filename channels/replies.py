"""Fixed sentences of the channels (one place for each)."""

WELCOME = (
    "Dạ, Trung tâm Phục vụ hành chính công Hà Nội xin chào anh chị! Trợ lý tự động có thể giúp anh chị: "
    "tra cứu thủ tục hành chính (giấy tờ cần có, lệ phí, thời gian, nơi nộp, nộp trực tuyến), "
    "hướng dẫn VNeID và thanh toán trực tuyến, tìm điểm tiếp nhận gần nhất (anh chị có thể gửi vị trí), "
    "và ghi nhận phản ánh, góp ý. Anh chị cứ nhắn câu hỏi bằng chữ ạ."
)

TEXT_ONLY = (
    "Dạ, hiện trợ lý chỉ đọc được tin nhắn chữ. Anh chị vui lòng nhắn câu hỏi bằng chữ, "
    "hoặc gửi vị trí để được chỉ điểm tiếp nhận gần nhất ạ."
)

TOO_LONG = "Dạ, tin nhắn của anh chị dài quá. Anh chị vui lòng nhắn ngắn gọn hơn, mỗi lần một câu hỏi ạ."

#: text of the turn sent when a citizen shares a location: the find_agent intent (Rasa payload
#: syntax) with the coordinates in the turn metadata, read by the action server
LOCATION_TURN_TEXT = "/find_agent"
