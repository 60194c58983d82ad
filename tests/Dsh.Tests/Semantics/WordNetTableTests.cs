using System.IO.Compression;
using System.Text;
using Dsh.Semantics;

namespace Dsh.Tests.Semantics;

/// <summary>The WordNet noun table built into the library: loading, lookups, and refusal of damaged tables.</summary>
public class WordNetTableTests
{
    [Fact]
    public void BuiltIn_HoldsEveryNounSynsetAndLemmaOfWordNet30_WithTheLicence()
    {
        WordNetTable table = WordNetTable.BuiltIn;
        Assert.Equal(82_115, table.SynsetCount);
        Assert.Equal(117_798, table.LemmaCount);
        Assert.Equal("wordnet", table.Source);
        using Stream resource = typeof(WordNetTable).Assembly.GetManifestResourceStream(WordNetTable.ResourceName)!;
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        string head = string.Concat(Enumerable.Range(0, 40).Select(_ => reader.ReadLine() + "\n"));
        Assert.Contains("WordNet 3.0 Copyright 2006 by Princeton University.", head);
        Assert.Contains("Permission to use, copy, modify and distribute", head);
    }

    [Fact]
    public void Lookups_FollowWordNet30_SensesInFrequencyOrder_HypernymsAndIrregularPlurals()
    {
        WordNetTable table = WordNetTable.BuiltIn;
        var found = table.FindLemmas(new HashSet<string> { "dog", "teddy_bear", "qwertyuiop" });
        Assert.Equal(["dog", "teddy_bear"], found.Keys.Order());
        Assert.Equal(2084071, found["dog"][0]); // dog.n.01, the most frequent sense
        Assert.Equal(7, found["dog"].Length);
        WordNetSynset dog = table.Synset(2084071);
        Assert.Equal(["dog", "domestic_dog", "Canis_familiaris"], dog.Words);
        Assert.Equal([2083346, 1317541], dog.Hypernyms); // canine, domestic_animal
        Assert.Empty(table.Synset(1740).Hypernyms); // entity, the root
        Assert.Contains("mouse", table.BaseForms("mice"));
        Assert.Contains("box", table.BaseForms("boxes"));
        Assert.Throws<InvalidDataException>(() => table.Synset(12345));
    }

    [Fact]
    public void BuiltInVectors_AreTheSameOnEveryCall_AndPutDogNearerHorseThanGuitar()
    {
        string[] names = ["dog", "horse", "guitar"];
        var a = ClassEmbeddings.FromWordNet(names);
        var b = ClassEmbeddings.Resolve(names, "wordnet");
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(a.Vector(i), b.Vector(i));
        }
        Assert.True(VectorFiles.Cosine(a.Vector(0), a.Vector(1)) > VectorFiles.Cosine(a.Vector(0), a.Vector(2)));
    }

    [Theory]
    [InlineData("S 00001740 - entity\nX what\n", "line 2: not an S, L or E record")]
    [InlineData("S 1740 - entity\n", "line 1: \"1740\" is not an 8-digit synset offset")]
    [InlineData("S 00001740 - entity\nS 00001740 - entity\n", "line 2: synset 00001740 appears twice")]
    [InlineData("S 00001930 00001740 physical_entity\n", "synset 00001740 is pointed at but not listed")]
    [InlineData("S 00001740 - entity\nL dog 02084071\n", "synset 02084071 is pointed at but not listed")]
    [InlineData("# only a comment\n", "the table holds no synset")]
    public void DamagedTables_AreRefused_NamingTheLine(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => WordNetTable.Read(Gzip(text), "t.gz"));
        Assert.StartsWith("t.gz: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AFileThatIsNotGzip_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => WordNetTable.Read(new MemoryStream(Encoding.ASCII.GetBytes("S 00001740 - entity\n")), "plain.txt"));
        Assert.Contains("plain.txt: not a gzip-compressed WordNet noun table", e.Message);
    }

    [Fact]
    public void TheFixtureDatabase_RoundTripsThroughTheTable_WithEqualVectors()
    {
        using var dir = new Support.TempFolder();
        string db = WordNetFixture.Standard().Write(dir.File("dict"));
        using var database = WordNetDatabase.Open(db);
        var text = new StringWriter();
        WordNetTable.Write(database, text);
        WordNetTable table = WordNetTable.Read(Gzip(text.ToString()), "fixture");
        string[] names = ["dog", "horse", "guitar", "teddy bear", "mice", "saw"];
        var fromTable = WordNetEmbedding.Build(names, table);
        var fromDatabase = WordNetEmbedding.Build(names, database);
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(fromDatabase.Vector(i), fromTable.Vector(i));
        }
    }

    private static MemoryStream Gzip(string text)
    {
        var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        memory.Position = 0;
        return memory;
    }
}
