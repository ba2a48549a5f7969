"""FastAPI contender of `npm run bench --python`: the benchmark's contract subset (GET /health/live,
GET /v1/products/{id}, the public product list, POST /v1/orders) as a FastAPI user writes it:
pydantic models in and out, a dependency for the bearer token, asyncpg with a pool per worker and
hand-written SQL. Same guarantees as bench/independent-baseline.mjs, checked by
bench/lib/behaviour.mjs before each run: totals from database prices, products locked in id order,
all-or-nothing, no oversell, inactive or archived products refused. Like that baseline it writes no
status history (the contract does not ask for one).

    DATABASE_URL=postgresql://… JWT_SECRET=… DB_POOL_MAX=5 \
      python3 -m uvicorn fastapi_app:app --app-dir bench/python --workers 2 --log-level info
"""

import asyncio
import os
import re
import uuid
from datetime import datetime
from decimal import Decimal
from typing import List, Optional
from urllib.parse import urlencode

import asyncpg
import jwt
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Extra, conint, conlist, constr

DATABASE_URL = os.environ["DATABASE_URL"]
JWT_SECRET = os.environ["JWT_SECRET"]
POOL_MAX = int(os.environ.get("DB_POOL_MAX", "5"))

VISIBLE = 'active AND "archivedAt" IS NULL'
PRODUCT_COLUMNS = 'id, sku, name, description, price, stock, "categoryId" AS category_id, active, "createdAt" AS created_at, "updatedAt" AS updated_at'
ORDERING = {"id": "id", "sku": "sku", "name": "name", "price": "price", "stock": "stock", "createdAt": '"createdAt"'}
NOW = "(now() AT TIME ZONE 'UTC')"  # the schema's timestamp(3) columns hold UTC


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


class ApiModel(BaseModel):
    """camelCase on the wire; money as a decimal string, timestamps as ISO 8601 UTC with milliseconds."""

    class Config:
        alias_generator = to_camel
        allow_population_by_field_name = True
        json_encoders = {Decimal: str, datetime: lambda d: d.isoformat(timespec="milliseconds") + "Z"}


class Product(ApiModel):
    id: int
    sku: str
    name: str
    description: str
    price: Decimal
    stock: int
    category_id: int
    active: bool
    created_at: datetime
    updated_at: datetime


class ProductPage(ApiModel):
    count: int
    next: Optional[str]
    previous: Optional[str]
    results: List[Product]


class OrderLine(ApiModel):
    product_id: conint(ge=1, le=2_147_483_647)
    quantity: conint(ge=1, le=1000)

    class Config:
        extra = Extra.forbid


class OrderCreate(ApiModel):
    items: conlist(OrderLine, min_items=1, max_items=50)
    note: Optional[constr(max_length=1000, regex=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")] = None

    class Config:
        extra = Extra.forbid


class OrderItem(ApiModel):
    product_id: int
    sku: str
    name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal


class Order(ApiModel):
    id: int
    user_id: int
    status: str
    items: List[OrderItem]
    total: Decimal
    note: Optional[str]
    created_at: datetime
    updated_at: datetime


class Problem(Exception):
    def __init__(self, status: int, slug: str, detail: str):
        self.status, self.slug, self.detail = status, slug, detail


REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    """X-Request-Id on every answer (the caller's when well-formed, else a new UUID), kept in the
    request's state for problem bodies; a pure ASGI middleware, as asgi-correlation-id is (Starlette's
    BaseHTTPMiddleware would cost far more per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        sent = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"x-request-id"), "")
        request_id = sent if REQUEST_ID.fullmatch(sent) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        header = (b"x-request-id", request_id.encode("latin-1"))

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        await self.app(scope, receive, send_with_id)


app = FastAPI(title="Shop API (FastAPI contender)", docs_url=None, redoc_url=None, openapi_url=None)
app.add_middleware(RequestIdMiddleware)
pool: asyncpg.Pool


@app.on_event("startup")
async def open_pool() -> None:
    global pool
    pool = await asyncpg.create_pool(DATABASE_URL, min_size=1, max_size=POOL_MAX, server_settings={"application_name": "shop-bench-fastapi"})


@app.on_event("shutdown")
async def close_pool() -> None:
    await pool.close()


def problem_response(request: Request, status: int, slug: str, detail: str, headers: Optional[dict] = None) -> JSONResponse:
    body = {"type": f"https://shop-api.dev/problems/{slug}", "title": slug, "status": status, "detail": detail, "instance": request.url.path, "requestId": request.state.request_id}
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


@app.exception_handler(Problem)
async def on_problem(request: Request, exc: Problem) -> JSONResponse:
    return problem_response(request, exc.status, exc.slug, exc.detail)


@app.exception_handler(HTTPException)
async def on_http_exception(request: Request, exc: HTTPException) -> JSONResponse:
    slug = {401: "unauthorized", 403: "unauthorized", 404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "error")
    return problem_response(request, exc.status_code, slug, str(exc.detail), exc.headers)


@app.exception_handler(RequestValidationError)
async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    detail = "; ".join(f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}" for error in exc.errors())
    return problem_response(request, 400, "validation-error", detail)


bearer = HTTPBearer(auto_error=False)


def current_user_id(credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> int:
    """HS256 access token as the service issues it: signature, expiry, issuer, audience, subject."""
    if credentials is None:
        raise HTTPException(401, "Send a valid access token", headers={"WWW-Authenticate": "Bearer"})
    try:
        claims = jwt.decode(credentials.credentials, JWT_SECRET, algorithms=["HS256"], audience="shop-api", issuer="shop-api", options={"require": ["exp", "sub"]})
        return int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):
        raise HTTPException(401, "The access token is invalid or has expired", headers={"WWW-Authenticate": "Bearer"})


@app.get("/health/live")
async def live() -> dict:
    return {"status": "ok"}


@app.get("/v1/products/{product_id}", response_model=Product)
async def get_product(product_id: conint(ge=1, le=2_147_483_647), response: Response) -> Product:
    row = await pool.fetchrow(f"SELECT {PRODUCT_COLUMNS}, version FROM \"Product\" WHERE id = $1 AND {VISIBLE}", product_id)
    if row is None:
        raise Problem(404, "not-found", "Product not found")
    response.headers["ETag"] = f'"{product_id}-{row["version"]}"'
    return Product.parse_obj(row)


def order_by(ordering: str) -> str:
    parts, seen = [], set()
    for part in ordering.split(","):
        field = part.lstrip("-")
        if field not in ORDERING:
            raise Problem(400, "validation-error", f"Unknown ordering field: {field}")
        if field not in seen:
            seen.add(field)
            parts.append(f"{ORDERING[field]} {'DESC' if part.startswith('-') else 'ASC'}")
    if "id" not in seen:
        parts.append(f"id {'DESC' if parts[-1].endswith('DESC') else 'ASC'}")
    return ", ".join(parts)


@app.get("/v1/products", response_model=ProductPage)
async def list_products(
    request: Request,
    page: conint(ge=1) = 1,
    page_size: conint(ge=1, le=100) = Query(20, alias="pageSize"),
    ordering: str = "id",
) -> ProductPage:
    count, rows = await asyncio.gather(
        pool.fetchval(f'SELECT count(*) FROM "Product" WHERE {VISIBLE}'),
        pool.fetch(f'SELECT {PRODUCT_COLUMNS} FROM "Product" WHERE {VISIBLE} ORDER BY {order_by(ordering)} LIMIT $1 OFFSET $2', page_size, (page - 1) * page_size),
    )
    last_page = max(1, -(-count // page_size))
    if page > last_page:
        raise Problem(404, "not-found", f"Invalid page: the last page is {last_page}")

    def link(target: int) -> str:
        query = {**request.query_params, "page": target, "pageSize": page_size}
        return f"{request.url.replace(query=urlencode(query))}"

    return ProductPage(
        count=count,
        next=link(page + 1) if page < last_page else None,
        previous=link(page - 1) if page > 1 else None,
        results=[Product.parse_obj(row) for row in rows],
    )


@app.post("/v1/orders", response_model=Order, status_code=201)
async def create_order(order: OrderCreate, response: Response, user_id: int = Depends(current_user_id)) -> Order:
    lines = sorted(order.items, key=lambda line: line.product_id)
    ids = [line.product_id for line in lines]
    if len(set(ids)) != len(ids):
        raise Problem(400, "validation-error", "each product may appear once")
    async with pool.acquire() as conn, conn.transaction():
        # Every writer locks products in id order, so concurrent orders cannot deadlock.
        locked = await conn.fetch(f'SELECT id, sku, name, price, stock, {VISIBLE} AS orderable FROM "Product" WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', ids)
        products = {row["id"]: row for row in locked}
        for line in lines:
            product = products.get(line.product_id)
            if product is None or not product["orderable"]:
                raise Problem(409, "insufficient-stock", f"Product {line.product_id} cannot be ordered")
            if product["stock"] < line.quantity:
                raise Problem(409, "insufficient-stock", f"Not enough stock for product {line.product_id}")
        await conn.executemany(
            f'UPDATE "Product" SET stock = stock - $2, version = version + 1, "updatedAt" = {NOW} WHERE id = $1', [(line.product_id, line.quantity) for line in lines]
        )
        items = [
            OrderItem(
                product_id=line.product_id,
                sku=products[line.product_id]["sku"],
                name=products[line.product_id]["name"],
                unit_price=products[line.product_id]["price"],
                quantity=line.quantity,
                line_total=products[line.product_id]["price"] * line.quantity,
            )
            for line in lines
        ]
        total = sum((item.line_total for item in items), Decimal("0.00"))
        created = await conn.fetchrow(
            f'INSERT INTO "Order" ("userId", status, total, note, "createdAt", "updatedAt") VALUES ($1, \'pending\', $2, $3, {NOW}, {NOW}) RETURNING id, "createdAt", "updatedAt"',
            user_id,
            total,
            order.note,
        )
        await conn.executemany(
            'INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal") VALUES ($1, $2, $3, $4, $5, $6, $7)',
            [(created["id"], item.product_id, item.sku, item.name, item.unit_price, item.quantity, item.line_total) for item in items],
        )
    response.headers["Location"] = f"/v1/orders/{created['id']}"
    return Order(
        id=created["id"],
        user_id=user_id,
        status="pending",
        items=items,
        total=total,
        note=order.note,
        created_at=created["createdAt"],
        updated_at=created["updatedAt"],
    )
