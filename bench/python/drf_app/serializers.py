from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework import exceptions, serializers

from .models import Order, OrderItem, Product


class MillisecondDateTimeField(serializers.DateTimeField):
    """ISO 8601 UTC with milliseconds, as the service writes timestamps."""

    def to_representation(self, value):
        return self.enforce_timezone(value).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class ProductSerializer(serializers.ModelSerializer):
    categoryId = serializers.IntegerField(source="category_id")
    createdAt = MillisecondDateTimeField(source="created_at")
    updatedAt = MillisecondDateTimeField(source="updated_at")

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "description", "price", "stock", "categoryId", "active", "createdAt", "updatedAt"]


class OrderItemSerializer(serializers.ModelSerializer):
    productId = serializers.IntegerField(source="product_id")
    unitPrice = serializers.DecimalField(source="unit_price", max_digits=12, decimal_places=2)
    lineTotal = serializers.DecimalField(source="line_total", max_digits=14, decimal_places=2)

    class Meta:
        model = OrderItem
        fields = ["productId", "sku", "name", "unitPrice", "quantity", "lineTotal"]


class OrderSerializer(serializers.ModelSerializer):
    userId = serializers.IntegerField(source="user_id")
    items = OrderItemSerializer(many=True)
    createdAt = MillisecondDateTimeField(source="created_at")
    updatedAt = MillisecondDateTimeField(source="updated_at")

    class Meta:
        model = Order
        fields = ["id", "userId", "status", "items", "total", "note", "createdAt", "updatedAt"]


class OrderLineSerializer(serializers.Serializer):
    productId = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    quantity = serializers.IntegerField(min_value=1, max_value=1000)


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


class OrderCreateSerializer(serializers.Serializer):
    items = OrderLineSerializer(many=True, min_length=1, max_length=50)
    note = serializers.RegexField(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$", max_length=1000, allow_null=True, allow_blank=True, default=None)

    def validate_items(self, items):
        ids = [line["productId"] for line in items]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("each product may appear once")
        return sorted(items, key=lambda line: line["productId"])

    @transaction.atomic
    def create(self, validated_data):
        lines = validated_data["items"]
        # Every writer locks products in id order, so concurrent orders cannot deadlock.
        products = Product.objects.select_for_update().filter(id__in=[line["productId"] for line in lines]).order_by("id").in_bulk()
        for line in lines:
            product = products.get(line["productId"])
            if product is None or not product.active or product.archived_at is not None:
                raise Conflict(f"Product {line['productId']} cannot be ordered")
            if product.stock < line["quantity"]:
                raise Conflict(f"Not enough stock for product {line['productId']}")
        now = timezone.now()
        for line in lines:
            Product.objects.filter(id=line["productId"]).update(stock=F("stock") - line["quantity"], version=F("version") + 1, updated_at=now)
        items = [
            OrderItem(
                product_id=line["productId"],
                sku=products[line["productId"]].sku,
                name=products[line["productId"]].name,
                unit_price=products[line["productId"]].price,
                quantity=line["quantity"],
                line_total=products[line["productId"]].price * line["quantity"],
            )
            for line in lines
        ]
        order = Order.objects.create(
            user_id=self.context["request"].user.id, total=sum(item.line_total for item in items), note=validated_data["note"], created_at=now, updated_at=now
        )
        for item in items:
            item.order = order
        OrderItem.objects.bulk_create(items)
        return order

    def to_representation(self, order):
        return OrderSerializer(order).data
