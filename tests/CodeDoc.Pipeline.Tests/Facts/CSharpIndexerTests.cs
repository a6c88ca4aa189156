namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class CSharpIndexerTests
{
    private const string Source = """
        using System;

        namespace Acme.Orders;

        /// <summary>Places <see cref="Order"/>s with <c>retries</c>.</summary>
        public interface IOrderService
        {
            /// <summary>Places one order.</summary>
            Task<Order> PlaceAsync(Order order, CancellationToken cancellationToken = default);

            event EventHandler Placed;
        }

        [Obsolete("use the new one")]
        public sealed class OrderService : ServiceBase, IOrderService
        {
            public const int MaxItems = 10, MinItems = 1;
            private readonly int _count;

            public OrderService(int count) => _count = count;

            public string Name { get; init; } = "x";

            public int Count => _count;

            internal void Hidden() { }

            public Task<Order> PlaceAsync(Order order, CancellationToken cancellationToken = default) => Task.FromResult(order);

            public event EventHandler? Placed;

            private sealed class Nested { public void Inner() { } }
        }

        public sealed record Order(string Id, decimal Total);

        public enum Status { Open, Closed }

        internal static class Helpers { public static void Help() { } }

        public static class Extensions
        {
            extension(Order order)
            {
                public bool IsBig => order.Total > 100;
            }
        }
        """;

    [Fact]
    public void Index_TypesAndMembers_AreFoundWithTheirContainers()
    {
        var sink = FactsTesting.Index(new CSharpIndexer(), "src/Orders.cs", Source);

        Assert.Contains("Acme.Orders", sink.Names());
        Assert.Contains("Acme.Orders.IOrderService.PlaceAsync", sink.Names());
        Assert.Contains("Acme.Orders.OrderService.MaxItems", sink.Names());
        Assert.Contains("Acme.Orders.OrderService.MinItems", sink.Names());
        Assert.Contains("Acme.Orders.OrderService.OrderService", sink.Names());
        Assert.Contains("Acme.Orders.Order.Total", sink.Names());
        Assert.Contains("Acme.Orders.Status.Closed", sink.Names());
        Assert.Contains("Acme.Orders.OrderService.Nested.Inner", sink.Names());
        Assert.Contains("Acme.Orders.Extensions.IsBig", sink.Names());
        Assert.Equal(CodeSymbolKind.Event, sink.Single("Acme.Orders.IOrderService.Placed").Kind);
        Assert.Equal(15, sink.Single("Acme.Orders.OrderService").Line);
    }

    [Fact]
    public void Index_Accessibility_IsPublicAllTheWayOut()
    {
        var sink = FactsTesting.Index(new CSharpIndexer(), "src/Orders.cs", Source);

        Assert.True(sink.Single("Acme.Orders.IOrderService.PlaceAsync").IsPublic);
        Assert.True(sink.Single("Acme.Orders.Order.Id").IsPublic);
        Assert.False(sink.Single("Acme.Orders.OrderService._count").IsPublic);
        Assert.False(sink.Single("Acme.Orders.OrderService.Hidden").IsPublic);
        Assert.False(sink.Single("Acme.Orders.OrderService.Nested").IsPublic);
        Assert.False(sink.Single("Acme.Orders.OrderService.Nested.Inner").IsPublic);
        Assert.False(sink.Single("Acme.Orders.Helpers.Help").IsPublic);
    }

    [Fact]
    public void Index_PublicSymbols_HaveSignaturesWithoutBodiesAndSummariesWithReferencesAsText()
    {
        var sink = FactsTesting.Index(new CSharpIndexer(), "src/Orders.cs", Source);

        Assert.Equal("public sealed class OrderService : ServiceBase, IOrderService", sink.Single("Acme.Orders.OrderService").Signature);
        Assert.Equal("public Task<Order> PlaceAsync(Order order, CancellationToken cancellationToken = default)", sink.Single("Acme.Orders.OrderService.PlaceAsync").Signature);
        Assert.Equal("public string Name { get; init; }", sink.Single("Acme.Orders.OrderService.Name").Signature);
        Assert.Equal("public int Count { get; }", sink.Single("Acme.Orders.OrderService.Count").Signature);
        Assert.Equal("public const int MaxItems", sink.Single("Acme.Orders.OrderService.MaxItems").Signature);
        Assert.Equal("Places Orders with retries.", sink.Single("Acme.Orders.IOrderService").Summary);
        Assert.Equal("Places one order.", sink.Single("Acme.Orders.IOrderService.PlaceAsync").Summary);
        Assert.Null(sink.Single("Acme.Orders.OrderService.Hidden").Signature);
    }

    [Fact]
    public void Index_BaseList_RecordsBaseTypes()
    {
        var sink = FactsTesting.Index(new CSharpIndexer(), "src/Orders.cs", Source);

        Assert.Contains(("Acme.Orders.OrderService", "ServiceBase"), sink.BaseTypes);
        Assert.Contains(("Acme.Orders.OrderService", "IOrderService"), sink.BaseTypes);
    }

    [Fact]
    public void Index_BlockNamespacesAndBrokenCode_StillIndexWhatParses()
    {
        const string source = "namespace A { namespace B { public class C { public void M( { } } } public class D {} }";

        var sink = FactsTesting.Index(new CSharpIndexer(), "x.cs", source);

        Assert.Contains("A.B.C", sink.Names());
        Assert.Contains("A.B", sink.Names());
    }
}
