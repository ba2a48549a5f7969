"""X-Request-Id on every answer: the caller's when well-formed, else a new UUID (the contract, Operations)."""

import re
import uuid

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-Id", "")
        request.request_id = sent if REQUEST_ID.fullmatch(sent) else str(uuid.uuid4())
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response
