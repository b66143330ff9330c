[assembly: AssemblyFixture(typeof(Chromium))]
