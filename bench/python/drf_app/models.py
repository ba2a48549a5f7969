"""The service's tables (created by its migrations, hence managed = False), only the columns used."""

from django.db import models


class Product(models.Model):
    sku = models.TextField(unique=True)
    name = models.TextField()
    description = models.TextField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    stock = models.IntegerField()
    category_id = models.IntegerField(db_column="categoryId")
    active = models.BooleanField()
    archived_at = models.DateTimeField(db_column="archivedAt", null=True)
    version = models.IntegerField()
    created_at = models.DateTimeField(db_column="createdAt")
    updated_at = models.DateTimeField(db_column="updatedAt")

    class Meta:
        managed = False
        db_table = "Product"


class Order(models.Model):
    user_id = models.IntegerField(db_column="userId")
    status = models.TextField(default="pending")
    total = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(null=True)
    created_at = models.DateTimeField(db_column="createdAt")
    updated_at = models.DateTimeField(db_column="updatedAt")

    class Meta:
        managed = False
        db_table = "Order"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, models.CASCADE, db_column="orderId", related_name="items")
    product_id = models.IntegerField(db_column="productId")
    sku = models.TextField()
    name = models.TextField()
    unit_price = models.DecimalField(db_column="unitPrice", max_digits=12, decimal_places=2)
    quantity = models.IntegerField()
    line_total = models.DecimalField(db_column="lineTotal", max_digits=14, decimal_places=2)

    class Meta:
        managed = False
        db_table = "OrderItem"
