from django.urls import path

from . import views

urlpatterns = [
    path("health/live", views.live),
    path("v1/products", views.ProductList.as_view()),
    path("v1/products/<int:pk>", views.ProductDetail.as_view()),
    path("v1/orders", views.OrderCreate.as_view()),
]
