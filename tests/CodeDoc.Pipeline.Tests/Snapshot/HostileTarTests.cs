using System.Text;
using CodeDoc.Core;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Tar streams crafted header by header: every hostile entry is a listed skip or a clear error, never a crash.</summary>
public sealed class HostileTarTests
{
    [Theory]
    [InlineData("../evil.txt", "climbs out")]
    [InlineData("a/../../evil.txt", "climbs out")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/evil.txt", "drive letter")]
    [InlineData("C:evil.txt", "drive letter")]
    [InlineData("a\\..\\..\\evil.txt", "backslash")]
    public async Task ReadAsync_UnsafePath_IsListedAndTheRestIsRead(string name, string detail)
    {
        var tar = new TarBuilder().File(name, "evil\n").File("ok.txt", "fine\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(["ok.txt"], snapshot.Paths());
        var excluded = snapshot.Excluded(name);
        Assert.Equal(ExclusionReason.UnsafePath, excluded.Reason);
        Assert.Contains(detail, excluded.Detail, StringComparison.Ordinal);
        Assert.Equal(2, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_AbsolutePathIntoTemp_WritesNothing()
    {
        var target = Path.Combine(Path.GetTempPath(), $"codedoc-evil-{Guid.NewGuid():N}.txt");
        var tar = new TarBuilder().File(target.TrimStart('/'), "x").File(target, "x").File("../../../../.." + target, "x").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.False(File.Exists(target));
        Assert.Equal(3, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_NameNotUtf8_IsListedEscaped()
    {
        var tar = new TarBuilder().Entry([.. "bad"u8, 0xFF, 0xFE, .. ".txt"u8], (byte)'0', "x"u8.ToArray()).Build();

        var snapshot = await ReadTarAsync(tar);

        var excluded = Assert.Single(snapshot.Excluded);
        Assert.Equal(@"bad\xFF\xFE.txt", excluded.Path);
        Assert.Equal(ExclusionReason.InvalidName, excluded.Reason);
        Assert.Empty(snapshot.Files);
    }

    [Fact]
    public async Task ReadAsync_NameWithControlCharacters_IsListedEscaped()
    {
        var tar = new TarBuilder().File("a\nb\u001b.txt", "x").Build();

        var snapshot = await ReadTarAsync(tar);

        var excluded = Assert.Single(snapshot.Excluded);
        Assert.Equal(@"a\u000Ab\u001B.txt", excluded.Path);
        Assert.Equal(ExclusionReason.InvalidName, excluded.Reason);
    }

    [Theory]
    [InlineData((byte)'2', ExclusionReason.SymbolicLink, "symbolic link to '/etc/passwd'")]
    [InlineData((byte)'1', ExclusionReason.NotRegularFile, "hard link to '/etc/passwd'")]
    [InlineData((byte)'3', ExclusionReason.NotRegularFile, "character device")]
    [InlineData((byte)'4', ExclusionReason.NotRegularFile, "block device")]
    [InlineData((byte)'6', ExclusionReason.NotRegularFile, "FIFO")]
    public async Task ReadAsync_SpecialEntry_IsListedNotFollowed(byte type, ExclusionReason reason, string detail)
    {
        var tar = new TarBuilder().Link("special", type, "/etc/passwd").File("after.txt", "after\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(["after.txt"], snapshot.Paths());
        Assert.Equal(reason, snapshot.Excluded("special").Reason);
        Assert.Contains(detail, snapshot.Excluded("special").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownEntryTypeWithData_IsListedAndSkipped()
    {
        var tar = new TarBuilder().Entry("odd"u8.ToArray(), (byte)'Z', new byte[700]).File("after.txt", "after\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(["after.txt"], snapshot.Paths());
        Assert.Equal(ExclusionReason.NotRegularFile, snapshot.Excluded("odd").Reason);
        Assert.Contains("type 'Z'", snapshot.Excluded("odd").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DuplicatesAndFileDirectoryConflicts_KeepTheFirstAndListTheRest()
    {
        var tar = new TarBuilder()
            .File("a.txt", "first\n")
            .File("a.txt", "second\n")
            .File("x", "a file\n")
            .File("x/y.txt", "below a file\n")
            .File("d/e.txt", "in a directory\n")
            .File("d", "a file where a directory is\n")
            .Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { RetainContent = true });

        Assert.Equal("first\n", snapshot.File("a.txt").Content);
        Assert.Equal(["a.txt", "d/e.txt", "x"], snapshot.Paths());
        Assert.Equal(ExclusionReason.Duplicate, snapshot.Excluded("a.txt").Reason);
        Assert.Equal(ExclusionReason.Duplicate, snapshot.Excluded("x/y.txt").Reason);
        Assert.Equal(ExclusionReason.Duplicate, snapshot.Excluded("d").Reason);
        Assert.Equal(6, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_LongNamesFromGnuAndPaxHeaders_AreUsed()
    {
        var gnuName = "gnu/" + new string('g', 150) + ".txt";
        var paxName = "pax/" + new string('p', 150) + ".txt";
        var tar = new TarBuilder()
            .GlobalPax(("comment", "0123456789abcdef"))
            .GnuLongName(gnuName).File("truncated-gnu", "g\n")
            .Pax(("path", paxName), ("mtime", "1700000000.5")).File("truncated-pax", "p\n")
            .Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal([gnuName, paxName], snapshot.Paths());
    }

    [Fact]
    public async Task ReadAsync_PaxSize_OverridesTheHeaderSize()
    {
        var tar = new TarBuilder().Pax(("size", "5")).Entry("big.txt"u8.ToArray(), (byte)'0', "12345"u8.ToArray(), declaredSize: 0).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(5, snapshot.File("big.txt").Bytes);
    }

    [Fact]
    public async Task ReadAsync_PaxPathClimbingOut_IsUnsafe()
    {
        var tar = new TarBuilder().Pax(("path", "../../etc/cron.d/evil")).File("harmless.txt", "x\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Empty(snapshot.Files);
        Assert.Equal(ExclusionReason.UnsafePath, snapshot.Excluded("../../etc/cron.d/evil").Reason);
    }

    [Fact]
    public async Task ReadAsync_EntryOutsideTheTopFolder_IsUnsafe()
    {
        var tar = new TarBuilder()
            .Directory("repo-abc1234")
            .File("repo-abc1234/src/a.cs", "class A {}\n")
            .File("other/b.cs", "class B {}\n")
            .File("root.txt", "x\n")
            .Build();

        var snapshot = await ReadTarAsync(tar, hasTopLevelFolder: true);

        Assert.Equal(["src/a.cs"], snapshot.Paths());
        Assert.Equal(ExclusionReason.UnsafePath, snapshot.Excluded("other/b.cs").Reason);
        Assert.Contains("'repo-abc1234/'", snapshot.Excluded("other/b.cs").Detail, StringComparison.Ordinal);
        Assert.Equal(ExclusionReason.UnsafePath, snapshot.Excluded("root.txt").Reason);
    }

    [Fact]
    public async Task ReadAsync_UnsafeDirectoryEntry_IsListedAsADirectory()
    {
        var tar = new TarBuilder().Directory("../up").File("ok.txt", "x\n").Build();

        var snapshot = await ReadTarAsync(tar);

        var excluded = snapshot.Excluded("../up/");
        Assert.True(excluded.IsDirectory);
        Assert.Equal(0, excluded.FileCount);
        Assert.Equal(1, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_BadChecksum_FailsNamingTheEntryReached()
    {
        var tar = new TarBuilder().File("good.txt", "x\n").Entry("bad.txt"u8.ToArray(), (byte)'0', "y"u8.ToArray(), tamper: h => h[0] ^= 1).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains("'good.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedInsideContent_FailsNamingTheEntry()
    {
        var tar = new TarBuilder().File("a.txt", "a\n").File("cut.txt", new string('x', 2000)).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar[..(512 + 512 + 512 + 1000)]));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cut.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MissingEndOfArchive_IsTruncated()
    {
        var tar = new TarBuilder().File("a.txt", "a\n").Build(endMarker: false);

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar));

        Assert.Contains("end-of-archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MetadataHeaderThenEnd_IsCorrupt()
    {
        var tar = new TarBuilder().Pax(("path", "orphan.txt")).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar));

        Assert.Contains("metadata header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HugePaxHeader_FailsWithoutBufferingIt()
    {
        var tar = new TarBuilder().Entry("PaxHeaders/x"u8.ToArray(), (byte)'x', [], declaredSize: 64L * 1024 * 1024, writeData: false).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar));

        Assert.Contains("pax header of 67108864 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FloodOfMetadataHeaders_Fails()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 1000; i++)
        {
            builder.GlobalPax(("comment", "flood"));
        }

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(builder.File("a.txt", "a").Build()));

        Assert.Contains("metadata headers precede one entry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_GzipPassedAsTar_SaysWhatItLooksLike()
    {
        var tar = TarBuilder.Gzip(new TarBuilder().File("a.txt", "a\n").Build());

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar));

        Assert.Contains("looks like gzip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedGzip_Fails()
    {
        var gzip = TarBuilder.Gzip(new TarBuilder().File("a.txt", new string('a', 5000)).File("b.txt", "b").Build());

        await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(gzip[..(gzip.Length / 2)], ArchiveFormat.TarGz));
    }

    [Fact]
    public async Task ReadAsync_CorruptGzipChecksum_Fails()
    {
        var gzip = TarBuilder.Gzip(new TarBuilder().File("a.txt", "a\n").Build());
        gzip[^8] ^= 0xFF;

        await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(gzip, ArchiveFormat.TarGz));
    }

    [Fact]
    public async Task ReadAsync_MoreEntriesThanAllowed_Fails()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 11; i++)
        {
            builder.File($"f{i}.txt", "x");
        }

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(builder.Build(), new SnapshotOptions { MaxEntries = 10 }));

        Assert.Contains("MaxEntries", error.Message, StringComparison.Ordinal);
        Assert.Contains("entry 11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DeclaredSizePastTheExpansionLimit_FailsAtOnce()
    {
        var options = new SnapshotOptions { MaxFileBytes = 1024, MaxRepositoryBytes = 4096, MaxArchiveExpandedBytes = 1024 * 1024 };
        var tar = new TarBuilder().Entry("huge.bin"u8.ToArray(), (byte)'0', [], declaredSize: 2L * 1024 * 1024 * 1024, writeData: false).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(tar, options));

        Assert.Contains("MaxArchiveExpandedBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("'huge.bin'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ManyEntriesPastTheExpansionLimit_Fail()
    {
        var options = new SnapshotOptions { MaxFileBytes = 1024, MaxRepositoryBytes = 4096, MaxArchiveExpandedBytes = 64 * 1024 };
        var builder = new TarBuilder();
        for (var i = 0; i < 20; i++)
        {
            builder.File($"f{i}.txt", new string('x', 8000));
        }

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadTarAsync(builder.Build(), options));

        Assert.Contains("MaxArchiveExpandedBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_GzipBomb_FailsOnTheCompressionRatio()
    {
        var tar = new TarBuilder().File("zeros.raw", new byte[20 * 1024 * 1024]).Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(TarBuilder.Gzip(tar), ArchiveFormat.TarGz));

        Assert.Contains("MaxCompressionRatio", error.Message, StringComparison.Ordinal);
        Assert.Contains("'zeros.raw'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CompressibleSourceUnderTheRatio_IsRead()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} of a repetitive but ordinary source file\n")));
        var tar = new TarBuilder().File("a.txt", text).Build();

        var snapshot = await ReadArchiveAsync(TarBuilder.Gzip(tar), ArchiveFormat.TarGz);

        Assert.Equal(text.Length, snapshot.File("a.txt").Bytes);
    }
}
