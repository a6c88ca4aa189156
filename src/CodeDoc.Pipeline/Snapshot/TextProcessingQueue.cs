using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace CodeDoc.Pipeline;

/// <summary>A file's bytes waiting to be decoded, redacted and counted; the buffer is rented and returned by the queue.</summary>
/// <param name="Record">The file.</param>
/// <param name="Buffer">The rented buffer.</param>
/// <param name="Length">The bytes used.</param>
/// <param name="Encoding">How to decode them.</param>
internal readonly record struct TextWork(SnapshotSession.FileRecord Record, byte[] Buffer, int Length, TextEncodingKind Encoding);

/// <summary>
/// Runs the CPU-bound part of a snapshot (decode, redact, count tokens) on worker threads while the archive is read
/// on the caller's flow. Bounded: at most two items per worker wait, so memory stays at a few files' worth. The first
/// failure of a worker stops the queue and is rethrown to the reader.
/// </summary>
internal sealed class TextProcessingQueue : IAsyncDisposable
{
    private readonly Channel<TextWork> _channel;
    private readonly CancellationTokenSource _stop;
    private readonly Action<TextWork> _process;
    private readonly Task[] _workers;
    private Exception? _failure;

    public TextProcessingQueue(Action<TextWork> process, int workerCount, CancellationToken cancellationToken)
    {
        _process = process;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _channel = Channel.CreateBounded<TextWork>(new BoundedChannelOptions(workerCount * 2)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _workers = new Task[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            _workers[i] = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>Queues a file; waits while the queue is full.</summary>
    /// <param name="work">The file; once queued, the queue owns its buffer (when this throws, the caller still does).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when queued.</returns>
    public async ValueTask EnqueueAsync(TextWork work, CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
            await _channel.Writer.WriteAsync(work, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }
    }

    /// <summary>Waits until every queued file is processed.</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask CompleteAsync()
    {
        _channel.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }

        _stop.Token.ThrowIfCancellationRequested();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        while (_channel.Reader.TryRead(out var left))
        {
            ContentBuffers.Return(left.Buffer);
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var work in _channel.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    _process(work);
                }
                finally
                {
                    ContentBuffers.Return(work.Buffer);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the caller or by another worker's failure; CompleteAsync reports which.
        }
#pragma warning disable CA1031 // The failure is handed to the reader, which rethrows it unchanged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
            await _stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
