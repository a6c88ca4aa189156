using System.Text;
using CodeDoc.Core;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Zip streams with lying sizes, bombs, odd flags and names, read forward only.</summary>
public sealed class HostileZipTests
{
    [Fact]
    public async Task ReadAsync_DataLargerThanDeclared_Fails()
    {
        var zip = new ZipBuilder().Entry("liar.txt"u8.ToArray(), Encoding.UTF8.GetBytes(new string('a', 100_000)), declaredSize: 10).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));

        Assert.Contains("more data than the 10 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("'liar.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CrcMismatch_Fails()
    {
        var zip = new ZipBuilder().Entry("a.txt"u8.ToArray(), "hello"u8.ToArray(), crc: 12345).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));

        Assert.Contains("CRC", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReadAsync_BombInASkippedDescriptorEntry_FailsOnTheRatio()
    {
        var zip = new ZipBuilder()
            .Entry("node_modules/bomb.txt"u8.ToArray(), new byte[20 * 1024 * 1024], descriptor: true)
            .File("a.txt", "a\n")
            .Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));

        Assert.Contains("MaxCompressionRatio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DescriptorEntries_AreReadAndMeasured()
    {
        var zip = new ZipBuilder()
            .Entry("small.txt"u8.ToArray(), "small\n"u8.ToArray(), descriptor: true)
            .Entry("large.txt"u8.ToArray(), Encoding.UTF8.GetBytes(new string('x', 3000)), descriptor: true)
            .Build();

        var snapshot = await ReadArchiveAsync(zip, ArchiveFormat.Zip, options: new SnapshotOptions { MaxFileBytes = 1000, MaxRepositoryBytes = 10_000 });

        Assert.Equal(["small.txt"], snapshot.Paths());
        Assert.Equal(ExclusionReason.TooLarge, snapshot.Excluded("large.txt").Reason);
        Assert.Equal(3000, snapshot.Excluded("large.txt").Bytes);
    }

    [Fact]
    public async Task ReadAsync_EncryptedEntry_Fails()
    {
        var zip = new ZipBuilder().Entry("secret.txt"u8.ToArray(), "x"u8.ToArray(), flags: 1).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
        Assert.Contains("'secret.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnsupportedCompressionMethod_Fails()
    {
        var zip = new ZipBuilder().Entry("lzma.txt"u8.ToArray(), "x"u8.ToArray(), deflate: false, method: 14).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));

        Assert.Contains("compression method 14", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StoredEntryWithDescriptor_Fails()
    {
        var zip = new ZipBuilder().Entry("stored.txt"u8.ToArray(), "x"u8.ToArray(), deflate: false, descriptor: true).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));

        Assert.Contains("data descriptor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ExpansionPastTheLimitWithoutDeclaredSizes_Fails()
    {
        var options = new SnapshotOptions { MaxFileBytes = 1024, MaxRepositoryBytes = 4096, MaxArchiveExpandedBytes = 64 * 1024 };
        var builder = new ZipBuilder();
        for (var i = 0; i < 10; i++)
        {
            builder.Entry(Encoding.UTF8.GetBytes($"f{i}.txt"), Encoding.UTF8.GetBytes(new string('x', 10_000)), descriptor: true);
        }

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(builder.Build(), ArchiveFormat.Zip, options: options));

        Assert.Contains("expands past 64 KiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("'f6.txt'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.8)]
    [InlineData(0.99)]
    public async Task ReadAsync_TruncatedZip_Fails(double keep)
    {
        var zip = new ZipBuilder().File("a.txt", new string('a', 4000)).File("b.txt", "b\n").File("c.txt", "c\n").Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip[..(int)(zip.Length * keep)], ArchiveFormat.Zip));

        Assert.Contains("zip archive is truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoCentralDirectory_Fails()
    {
        var zip = new ZipBuilder().File("a.txt", "a\n").Build(centralDirectory: false);

        await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(zip, ArchiveFormat.Zip));
    }

    [Fact]
    public async Task ReadAsync_SymlinkMarkedInTheCentralDirectory_IsListedNotIncluded()
    {
        var zip = new ZipBuilder().File("README.md", "# hi\n").Symlink("docs/readme-link", "../README.md").Build();

        var snapshot = await ReadArchiveAsync(zip, ArchiveFormat.Zip);

        Assert.Equal(["README.md"], snapshot.Paths());
        Assert.Equal(ExclusionReason.SymbolicLink, snapshot.Excluded("docs/readme-link").Reason);
    }

    [Fact]
    public async Task ReadAsync_HostileNames_AreListed()
    {
        var zip = new ZipBuilder()
            .File("../../evil.sh", "rm -rf /\n")
            .Entry([.. "bad"u8, 0xC3, 0x28], "x"u8.ToArray())
            .Entry("nul\0byte"u8.ToArray(), "x"u8.ToArray())
            .File("dup.txt", "1\n")
            .File("dup.txt", "2\n")
            .Build();

        var snapshot = await ReadArchiveAsync(zip, ArchiveFormat.Zip);

        Assert.Equal(["dup.txt"], snapshot.Paths());
        Assert.Equal(ExclusionReason.UnsafePath, snapshot.Excluded("../../evil.sh").Reason);
        Assert.Equal(ExclusionReason.InvalidName, snapshot.Excluded(@"bad\xC3(").Reason);
        Assert.Equal(ExclusionReason.InvalidName, snapshot.Excluded(@"nul\u0000byte").Reason);
        Assert.Equal(ExclusionReason.Duplicate, snapshot.Excluded("dup.txt").Reason);
        Assert.Equal(5, snapshot.FilesSeen);
    }
}
