using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers;

/// <summary>
/// Faults a fake applies to coming requests, in the order they were added. Each fault matches a method and a path
/// prefix and applies a number of times; requests no fault matches reach the routes.
/// </summary>
public sealed class FaultPlan
{
    private readonly List<Fault> _faults = [];
    private readonly Lock _lock = new();

    /// <summary>Answers matching requests with a status, headers and a body instead of the route.</summary>
    /// <param name="pathPrefix">The path prefix to match, e.g. <c>/v1/responses</c>.</param>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body (JSON or text).</param>
    /// <param name="headers">Response headers, e.g. <c>Retry-After</c>.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="method">The method to match, or <see langword="null"/> for any.</param>
    /// <param name="contentType">The body's content type.</param>
    /// <returns>This plan.</returns>
    public FaultPlan Respond(string pathPrefix, int status, string body = "", IReadOnlyDictionary<string, string>? headers = null, int times = 1, string? method = null, string contentType = "application/json") =>
        Add(new Fault(method, pathPrefix, times, async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (body.Length > 0)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }

            return true;
        }));

    /// <summary>Delays matching requests before the route answers (a slow first byte).</summary>
    /// <param name="pathPrefix">The path prefix to match.</param>
    /// <param name="delay">How long to wait.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="method">The method to match, or <see langword="null"/> for any.</param>
    /// <returns>This plan.</returns>
    public FaultPlan Delay(string pathPrefix, TimeSpan delay, int times = 1, string? method = null) =>
        Add(new Fault(method, pathPrefix, times, async context =>
        {
            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            return false;
        }));

    /// <summary>Drops the connection of matching requests without an answer.</summary>
    /// <param name="pathPrefix">The path prefix to match.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="method">The method to match, or <see langword="null"/> for any.</param>
    /// <returns>This plan.</returns>
    public FaultPlan Reset(string pathPrefix, int times = 1, string? method = null) =>
        Add(new Fault(method, pathPrefix, times, context =>
        {
            context.Abort();
            return Task.FromResult(true);
        }));

    /// <summary>Lets the route answer, then drops the connection after a number of body bytes (a truncated stream).</summary>
    /// <param name="pathPrefix">The path prefix to match.</param>
    /// <param name="bytes">How many body bytes reach the client.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="method">The method to match, or <see langword="null"/> for any.</param>
    /// <returns>This plan.</returns>
    public FaultPlan CutAfter(string pathPrefix, int bytes, int times = 1, string? method = null) =>
        Add(new Fault(method, pathPrefix, times, context =>
        {
            context.Response.Body = new CuttingStream(context.Response.Body, bytes, context);
            return Task.FromResult(false);
        }));

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    internal Fault? Take(string method, string path)
    {
        lock (_lock)
        {
            var fault = _faults.FirstOrDefault(f => f.Matches(method, path));
            if (fault is not null && --fault.Remaining == 0)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    private FaultPlan Add(Fault fault)
    {
        lock (_lock)
        {
            _faults.Add(fault);
        }

        return this;
    }

    internal sealed class Fault(string? method, string pathPrefix, int times, Func<HttpContext, Task<bool>> apply)
    {
        public int Remaining { get; set; } = times;

        public bool Matches(string requestMethod, string path) =>
            (method is null || string.Equals(method, requestMethod, StringComparison.OrdinalIgnoreCase))
            && path.StartsWith(pathPrefix, StringComparison.Ordinal);

        /// <summary>Applies the fault; <see langword="true"/> when it answered the request itself.</summary>
        public Task<bool> ApplyAsync(HttpContext context) => apply(context);
    }

    private sealed class CuttingStream(Stream inner, int allowed, HttpContext context) : Stream
    {
        private int _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = allowed - _written;
            if (room > 0)
            {
                var part = buffer[..Math.Min(room, buffer.Length)];
                await inner.WriteAsync(part, cancellationToken).ConfigureAwait(false);
                await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
                _written += part.Length;
            }

            if (_written >= allowed)
            {
                context.Abort();
            }
        }
    }
}
