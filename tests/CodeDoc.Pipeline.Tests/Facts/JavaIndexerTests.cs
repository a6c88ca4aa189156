namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class JavaIndexerTests
{
    private const string Source = """
        package com.acme.orders;

        import java.util.*;

        /**
         * Places orders.
         * @since 1.0
         */
        @Service
        public class OrderService<T extends Comparable<T>> extends Base implements Api, Closeable {
            public static final int MAX = 10, MIN = 1;
            private final Map<String, List<T>> cache = new HashMap<>();
            private Runnable task = () -> { int hidden = 1; };

            public OrderService(int size) { this.size = size; }

            /** Places one. */
            @Override
            public <R> List<R> place(Map<String, R> items, int count) throws IOException {
                String s = "class Fake {}";
                return null;
            }

            void internalHelper() {}

            static { init(); }

            public enum Status { OPEN("o") { void x() {} }, CLOSED; Status() {} Status(String s) {} }

            interface Listener { void onPlaced(Order order); String NAME = "n"; }

            public record Line(String sku, int quantity) {}

            public @interface Audit { String value() default ""; }
        }

        class PackagePrivate {}
        """;

    [Fact]
    public void Index_Definitions_NestAndSkipBodies()
    {
        var sink = FactsTesting.Index(new JavaIndexer(), "src/main/java/com/acme/orders/OrderService.java", Source);

        Assert.Equal(
            ["com.acme.orders", "com.acme.orders.OrderService", "com.acme.orders.OrderService.MAX", "com.acme.orders.OrderService.MIN", "com.acme.orders.OrderService.cache", "com.acme.orders.OrderService.task",
             "com.acme.orders.OrderService.OrderService", "com.acme.orders.OrderService.place", "com.acme.orders.OrderService.internalHelper",
             "com.acme.orders.OrderService.Status", "com.acme.orders.OrderService.Status.OPEN", "com.acme.orders.OrderService.Status.CLOSED", "com.acme.orders.OrderService.Status.Status", "com.acme.orders.OrderService.Status.Status",
             "com.acme.orders.OrderService.Listener", "com.acme.orders.OrderService.Listener.onPlaced", "com.acme.orders.OrderService.Listener.NAME",
             "com.acme.orders.OrderService.Line", "com.acme.orders.OrderService.Line.sku", "com.acme.orders.OrderService.Line.quantity",
             "com.acme.orders.OrderService.Audit", "com.acme.orders.OrderService.Audit.value", "com.acme.orders.PackagePrivate"],
            sink.Names());
    }

    [Fact]
    public void Index_VisibilitySignaturesSummariesAndBases()
    {
        var sink = FactsTesting.Index(new JavaIndexer(), "OrderService.java", Source);

        Assert.True(sink.Single("com.acme.orders.OrderService.place").IsPublic);
        Assert.False(sink.Single("com.acme.orders.OrderService.internalHelper").IsPublic);
        Assert.False(sink.Single("com.acme.orders.PackagePrivate").IsPublic);
        Assert.False(sink.Single("com.acme.orders.OrderService.Listener.onPlaced").IsPublic);
        Assert.Equal("Places orders.", sink.Single("com.acme.orders.OrderService").Summary);
        Assert.Equal("Places one.", sink.Single("com.acme.orders.OrderService.place").Summary);
        Assert.Equal("public <R> List<R> place(Map<String, R> items, int count)", sink.Single("com.acme.orders.OrderService.place").Signature);
        Assert.Equal([("com.acme.orders.OrderService", "Base"), ("com.acme.orders.OrderService", "Api"), ("com.acme.orders.OrderService", "Closeable")], sink.BaseTypes);
    }
}
