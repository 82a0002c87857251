"""AlexNet and VGG: stacks of convolutions and pooling, then three fully connected layers."""

from __future__ import annotations

from torch import nn

from vizkit.torch.models._checks import check_num_classes, on_meta

__all__ = ["AlexNet", "VGG", "alexnet", "vgg11", "vgg16", "vgg19"]


class AlexNet(nn.Module):
    """AlexNet as torchvision builds it (one tower; 64-192-384-256-256 channels)."""

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(x.flatten(1))


# Channels of each 3x3 convolution, "M" a 2x2 max pooling (the configurations of Simonyan & Zisserman's table 1).
_VGG_CONFIGS = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def _vgg_features(config) -> nn.Sequential:
    layers: list[nn.Module] = []
    channels = 3
    for item in config:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(channels, item, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            channels = item
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """VGG as torchvision builds it: 3x3 convolutions in five stages, then 4096-4096-``num_classes``."""

    def __init__(self, depth: int = 16, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = _vgg_features(_VGG_CONFIGS[depth])
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        for module in self.modules() if not on_meta(self) else ():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0, 0.01)
                nn.init.zeros_(module.bias)

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(x.flatten(1))


def alexnet(num_classes: int = 1000) -> AlexNet:
    """AlexNet (Krizhevsky et al., 2012), layer for layer as ``torchvision.models.alexnet``.

    Five convolutions and three fully connected layers; 61 100 840 parameters
    at 1 000 classes, 58.6 million of them in the fully connected head.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    AlexNet
        An ``nn.Module`` that maps ``(N, 3, H, W)`` images (224 x 224 in the paper) to ``(N, num_classes)`` logits.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import alexnet
    >>> with torch.device("meta"):               # counts parameters without allocating them
    ...     model = alexnet()
    >>> sum(p.numel() for p in model.parameters())
    61100840
    """
    return AlexNet(num_classes=check_num_classes(num_classes))


def _vgg(depth: int, num_classes: int) -> VGG:
    return VGG(depth=depth, num_classes=check_num_classes(num_classes))


def vgg11(num_classes: int = 1000) -> VGG:
    """VGG-11 (configuration A of Simonyan & Zisserman, 2014), as ``torchvision.models.vgg11``.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    VGG
        8 convolutions and 3 fully connected layers; 132 863 336 parameters at 1 000 classes.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import vgg11
    >>> with torch.device("meta"):
    ...     model = vgg11()
    >>> sum(p.numel() for p in model.parameters())
    132863336
    """
    return _vgg(11, num_classes)


def vgg16(num_classes: int = 1000) -> VGG:
    """VGG-16 (configuration D), as ``torchvision.models.vgg16``.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    VGG
        13 convolutions and 3 fully connected layers; 138 357 544 parameters at 1 000 classes.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import vgg16
    >>> with torch.device("meta"):
    ...     model = vgg16()
    >>> sum(p.numel() for p in model.parameters())
    138357544
    """
    return _vgg(16, num_classes)


def vgg19(num_classes: int = 1000) -> VGG:
    """VGG-19 (configuration E), as ``torchvision.models.vgg19``.

    Parameters
    ----------
    num_classes : int, default 1000
        Outputs of the last layer.

    Returns
    -------
    VGG
        16 convolutions and 3 fully connected layers; 143 667 240 parameters at 1 000 classes.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import vgg19
    >>> with torch.device("meta"):
    ...     model = vgg19()
    >>> sum(p.numel() for p in model.parameters())
    143667240
    """
    return _vgg(19, num_classes)
