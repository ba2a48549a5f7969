from rest_framework import filters, generics, permissions, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from .models import Product
from .serializers import OrderCreateSerializer, ProductSerializer


@api_view(["GET"])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
def live(request):
    return Response({"status": "ok"})


class OrderingWithIdFilter(filters.OrderingFilter):
    """The contract's camelCase field names; the requested ordering, then id in the same direction, so pages never overlap."""

    aliases = {"createdAt": "created_at"}

    def remove_invalid_fields(self, queryset, fields, view, request):
        fields = [("-" if term.startswith("-") else "") + self.aliases.get(term.lstrip("-"), term.lstrip("-")) for term in fields]
        return super().remove_invalid_fields(queryset, fields, view, request)

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if "id" in ordering or "-id" in ordering:
            return ordering
        return [*ordering, "-id" if ordering[-1].startswith("-") else "id"]


class VisibleProductsMixin:
    serializer_class = ProductSerializer
    authentication_classes = []

    def get_queryset(self):
        return Product.objects.filter(active=True, archived_at__isnull=True)


class ProductList(VisibleProductsMixin, generics.ListAPIView):
    filter_backends = [OrderingWithIdFilter]
    ordering_fields = ["id", "sku", "name", "price", "stock", "created_at"]
    ordering = ["id"]


class ProductDetail(VisibleProductsMixin, generics.RetrieveAPIView):
    def retrieve(self, request, *args, **kwargs):
        product = self.get_object()
        return Response(self.get_serializer(product).data, headers={"ETag": f'"{product.id}-{product.version}"'})


class OrderCreate(generics.CreateAPIView):
    serializer_class = OrderCreateSerializer
    permission_classes = [permissions.IsAuthenticated]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers={"Location": f"/v1/orders/{order.id}"})
