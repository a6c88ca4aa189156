using System.Text;
using System.Text.Json;

namespace CodeDoc.Ai.Ollama;

/// <summary>A failure Ollama reported as an <c>{"error":"..."}</c> line after a stream had started (HTTP 200).</summary>
internal sealed class OllamaStreamErrorException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="OllamaStreamErrorException"/> class.</summary>
    /// <param name="message">Ollama's message.</param>
    public OllamaStreamErrorException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Surfaces the error lines Ollama writes into a stream that already answered 200 (a runner that crashed or ran out
/// of memory): OllamaSharp skips those lines, which would leave only "the stream ended early" without Ollama's reason.
/// </summary>
internal sealed class OllamaErrorLineHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/x-ndjson")
        {
            return response;
        }

        var original = response.Content;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var checkedContent = new StreamContent(new ErrorLineStream(stream));
        foreach (var header in original.Headers)
        {
            checkedContent.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = checkedContent;
        return response;
    }

    /// <summary>Passes bytes through and throws when a complete line is Ollama's error object, before the reader sees it.</summary>
    private sealed class ErrorLineStream(Stream inner) : Stream
    {
        private const int MaxLine = 64 * 1024;
        private static readonly byte[] ErrorPrefix = "{\"error\""u8.ToArray();
        private readonly MemoryStream _line = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Check(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Check(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _line.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Check(ReadOnlySpan<byte> read)
        {
            if (read.IsEmpty)
            {
                ThrowIfError();
                return 0;
            }

            foreach (var b in read)
            {
                if (b == (byte)'\n')
                {
                    ThrowIfError();
                    _line.SetLength(0);
                }
                else if (_line.Length < MaxLine)
                {
                    _line.WriteByte(b);
                }
            }

            return read.Length;
        }

        private void ThrowIfError()
        {
            var line = _line.GetBuffer().AsSpan(0, (int)_line.Length).Trim(" \t\r"u8);
            if (!line.StartsWith(ErrorPrefix))
            {
                return;
            }

            string? message;
            try
            {
                using var json = JsonDocument.Parse(line.ToArray());
                message = json.RootElement.GetProperty("error").GetString();
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                message = Encoding.UTF8.GetString(line);
            }

            throw new OllamaStreamErrorException(message ?? "unknown error");
        }
    }
}
