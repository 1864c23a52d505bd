using System.Runtime.CompilerServices;

// Every native call and callback here is blittable; runtime marshalling stays off so Native AOT
// and trimming never need generated marshalling code.
[assembly: DisableRuntimeMarshalling]
