// Quagga module.
