using Wafer.Wasm.Tests.Support;

[assembly: AssemblyFixture(typeof(HostFixture))]
