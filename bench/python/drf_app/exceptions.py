"""Every error as an RFC 9457 problem+json body."""

from rest_framework.views import exception_handler

SLUGS = {400: "validation-error", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed", 409: "insufficient-stock", 415: "unsupported-media-type"}


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) and "detail" in response.data else response.data
    response.data = {
        "type": f"https://shop-api.dev/problems/{SLUGS.get(response.status_code, 'error')}",
        "title": SLUGS.get(response.status_code, "error"),
        "status": response.status_code,
        "detail": str(detail),
        "instance": context["request"].path,
        "requestId": context["request"].request_id,
    }
    response.content_type = "application/problem+json"
    return response
