using System.Buffers;

namespace CodeDoc.Pipeline;

/// <summary>
/// Buffers for file content. Small buffers come from the shared pool; buffers for large files are plain arrays the
/// GC reclaims, because the shared pool keeps returned arrays per core and a few large files would otherwise stay
/// resident for the whole process.
/// </summary>
internal static class ContentBuffers
{
    /// <summary>The largest buffer taken from (and given back to) the shared pool.</summary>
    internal const int MaxPooledLength = 1024 * 1024;

    public static byte[] Rent(int minimumLength) =>
        minimumLength <= MaxPooledLength ? ArrayPool<byte>.Shared.Rent(minimumLength) : GC.AllocateUninitializedArray<byte>(minimumLength);

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
